// Reads the process environment (plus a .env file in the working directory) into AsterConfig.
import { config as loadDotenv } from 'dotenv';
import { parseConfig, type AsterConfig } from './config';

/** Variables already set in the environment win over the .env file. */
export function loadConfig(): AsterConfig {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}
