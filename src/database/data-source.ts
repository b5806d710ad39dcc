// For the TypeORM CLI only (migration:generate); the app builds its DataSource in database.module.ts.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { loadConfig } from '../config/environment';

const url = loadConfig().databaseUrl;
if (!url) throw new Error('Set DATABASE_URL to generate migrations against a database');
export default new DataSource(dataSourceOptions(url));
