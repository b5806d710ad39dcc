// Bulk domains as CSV: the import (dry run, atomic, row by row with a report) and the export,
// whose columns import back unchanged.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { Actor } from '../auth/actor';
import { Client } from '../clients/client.entity';
import { AsterError, InvalidError, type FieldError } from '../common/errors';
import { Registrar } from '../registrars/registrar.entity';
import { RegistrarsService } from '../registrars/registrars.service';
import { readDomainCsv, writeDomainCsv, type CsvRow } from './domain-csv';
import { checkDateOrder, readDomainFields, splitList } from './domain-fields';
import { parseDomainName, type DomainName, type DomainNameCheck } from './domain-name';
import { Domain } from './domain.entity';
import { DomainsService, type DomainChanges } from './domains.service';
import type { DomainImportReportDto, DomainImportRowDto } from './dto/domain-import.dto';

export interface ImportOptions {
  dryRun: boolean;
  atomic: boolean;
}

/** A checked row, ready to write; `index` is its place in the report. */
interface RowWrite {
  index: number;
  name: DomainName;
  existing: Domain | null;
  changes: DomainChanges;
}

/** Rows written per savepoint: few round trips, and a refused row costs at most one batch's retry. */
const WRITE_BATCH = 500;

/** An error that concerns one row (the database refused it), as opposed to a failure of the import. */
function isRowError(e: unknown): boolean {
  return e instanceof AsterError || e instanceof QueryFailedError;
}

/** Thrown inside the import's transaction to undo it (dry run, or an atomic import with errors). */
class UndoImport extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Clients named in an import, looked up once: by id, and by name in any letter case. */
class ClientDirectory {
  private readonly byId = new Map<string, Client>();
  private readonly byName = new Map<string, Client[]>();

  constructor(clients: Client[]) {
    for (const c of clients) {
      this.byId.set(c.id, c);
      const key = ClientDirectory.key(c.name);
      this.byName.set(key, [...(this.byName.get(key) ?? []), c]);
    }
  }

  static key(name: string): string {
    return name.normalize('NFC').trim().toLowerCase();
  }

  /**
   * The client a cell names. Two clients with the same name are ambiguous unless one of them
   * already owns the domain: then the row keeps it there, so an export always imports back.
   */
  resolve(cell: string, currentClientId: string | undefined): { client?: Client; error?: string } {
    const byId = UUID.test(cell) ? this.byId.get(cell.toLowerCase()) : undefined;
    if (byId) return { client: byId };
    const named = this.byName.get(ClientDirectory.key(cell)) ?? [];
    if (named.length === 1) return { client: named[0] };
    if (named.length === 0) return { error: `no client has the id or name '${cell}'` };
    const current = named.find((c) => c.id === currentClientId);
    if (current) return { client: current };
    return { error: `${named.length} clients are named '${cell}'; give the client's id instead` };
  }
}

interface ImportRun {
  manager: EntityManager;
  actor: Actor;
  existing: Map<string, Domain>;
  clients: ClientDirectory;
  registrars: Map<string, Registrar>;
  /** ASCII name → the row that named it first. */
  seen: Map<string, number>;
}

@Injectable()
export class DomainsCsvService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly domains: DomainsService,
    private readonly registrars: RegistrarsService,
  ) {}

  /**
   * Imports every row it can, in one transaction. Each row is checked first (registrars it names
   * are found or created on the way); the good rows are then written in batches, each batch in a
   * savepoint, so that a row the database refuses is undone alone. A dry run, or an atomic import
   * with any bad row, writes no domain and undoes the transaction. Rows are reported either way.
   */
  async import(body: unknown, options: ImportOptions, actor: Actor): Promise<DomainImportReportDto> {
    const rows = readDomainCsv(body);
    const names = rows.map((r) => parseDomainName(r.values.name ?? ''));
    const report: DomainImportRowDto[] = [];
    try {
      await this.db.transaction(async (manager) => {
        const run: ImportRun = {
          manager,
          actor,
          existing: await this.lockExisting(manager, names),
          clients: new ClientDirectory(await this.namedClients(manager, rows)),
          registrars: new Map(),
          seen: new Map(),
        };
        const writes: RowWrite[] = [];
        for (const [i, row] of rows.entries()) {
          const checked = await this.checkRow(run, row, names[i]);
          if ('error' in checked) {
            report.push(checked.error);
          } else {
            report.push({ row: row.row, name: checked.name.ascii, result: checked.existing ? 'updated' : 'created' });
            writes.push({ ...checked, index: i });
          }
        }
        const failed = () => report.some((r) => r.result === 'error');
        if (options.dryRun || (options.atomic && failed())) throw new UndoImport();
        await this.writeRows(run, writes, report);
        if (options.atomic && failed()) throw new UndoImport();
      });
    } catch (e) {
      if (!(e instanceof UndoImport)) throw e;
    }
    return this.summarise(report, options);
  }

  /** Every domain with its client's name and registrar, by name, as CSV. */
  async export(): Promise<string> {
    const domains = await this.db
      .getRepository(Domain)
      .createQueryBuilder('d')
      .innerJoinAndSelect('d.client', 'c')
      .leftJoinAndSelect('d.registrar', 'r')
      .orderBy('d.name', 'ASC')
      .getMany();
    return writeDomainCsv(
      domains.map((d) => ({
        name: d.name,
        client: d.client.name,
        registrar: d.registrar?.name ?? '',
        registeredAt: d.registeredAt?.toISOString() ?? '',
        expiresAt: d.expiresAt?.toISOString() ?? '',
        statuses: d.statuses.join(' '),
      })),
    );
  }

  /** Checks a row and works out its change; only the cells present and not empty change anything. */
  private async checkRow(run: ImportRun, row: CsvRow, checked: DomainNameCheck): Promise<Omit<RowWrite, 'index'> | { error: DomainImportRowDto }> {
    const cells = row.values;
    const fail = (error: string, name = cells.name ?? '') => ({ error: { row: row.row, name, result: 'error' as const, error } });
    if (row.problem) return fail(`row ${row.row} ${row.problem}`);
    if (!checked.ok) return fail(`name: ${checked.reason}`);
    const name = checked.name;
    const earlier = run.seen.get(name.ascii);
    if (earlier !== undefined) return fail(`name: ${name.ascii} is already in row ${earlier}`, name.ascii);
    run.seen.set(name.ascii, row.row);
    const existing = run.existing.get(name.ascii) ?? null;

    const errors: FieldError[] = [];
    const changes: DomainChanges = {};
    if (cells.client) {
      const { client, error } = run.clients.resolve(cells.client, existing?.clientId);
      if (client) changes.clientId = client.id;
      else errors.push({ field: 'client', message: error! });
    } else if (!existing) {
      errors.push({ field: 'client', message: 'a new domain needs its client (id or name)' });
    }
    const { values, errors: fieldErrors } = readDomainFields({
      registeredAt: cells.registeredAt || undefined,
      expiresAt: cells.expiresAt || undefined,
      statuses: cells.statuses ? splitList(cells.statuses) : undefined,
    });
    Object.assign(changes, values);
    errors.push(...fieldErrors);
    if (fieldErrors.length === 0) {
      const order = checkDateOrder(values.registeredAt ?? existing?.registeredAt ?? null, values.expiresAt ?? existing?.expiresAt ?? null);
      if (order) errors.push(order);
    }
    if (errors.length > 0) return fail(new InvalidError(errors).message, name.ascii);
    if (cells.registrar) {
      try {
        changes.registrar = await this.registrarFor(run, cells.registrar);
      } catch (e) {
        if (e instanceof AsterError) return fail(e.message, name.ascii);
        throw e;
      }
    }
    return { name, existing, changes };
  }

  /**
   * Writes the checked rows, a batch per savepoint. When the database refuses a row (a race with
   * another writer), its batch is undone and written again row by row, so only that row fails.
   */
  private async writeRows(run: ImportRun, writes: RowWrite[], report: DomainImportRowDto[]): Promise<void> {
    const writeOne = (manager: EntityManager, w: RowWrite) => this.domains.write(manager, run.actor, 'import', w.existing, w.name, w.changes);
    for (let start = 0; start < writes.length; start += WRITE_BATCH) {
      const batch = writes.slice(start, start + WRITE_BATCH);
      try {
        await run.manager.transaction(async (savepoint) => {
          for (const w of batch) await writeOne(savepoint, w);
        });
      } catch (e) {
        if (!isRowError(e)) throw e;
        for (const w of batch) {
          try {
            await run.manager.transaction((savepoint) => writeOne(savepoint, w));
          } catch (rowError) {
            if (!isRowError(rowError)) throw rowError;
            report[w.index] = { ...report[w.index], result: 'error', error: `could not be saved: ${(rowError as Error).message}` };
          }
        }
      }
    }
  }

  /** The registrar a cell names, created on first use; each distinct cell is looked up once. */
  private async registrarFor(run: ImportRun, cell: string): Promise<Registrar> {
    const key = cell.trim().toLowerCase();
    let registrar = run.registrars.get(key);
    if (!registrar) {
      // In a savepoint, so that a refused name leaves the import's transaction usable.
      registrar = await run.manager.transaction((savepoint) => this.registrars.findOrCreateByName(savepoint, cell, run.actor));
      run.registrars.set(key, registrar);
    }
    return registrar;
  }

  /** The tracked domains the file names, with their registrars, locked until the import ends. */
  private async lockExisting(manager: EntityManager, names: DomainNameCheck[]): Promise<Map<string, Domain>> {
    const ascii = [...new Set(names.flatMap((n) => (n.ok ? [n.name.ascii] : [])))];
    if (ascii.length === 0) return new Map();
    const found = await manager
      .createQueryBuilder(Domain, 'd')
      .leftJoinAndSelect('d.registrar', 'r')
      .where('d.name = ANY(:ascii)', { ascii })
      .setLock('pessimistic_write', undefined, ['d'])
      .getMany();
    return new Map(found.map((d) => [d.name, d]));
  }

  /** The clients the file's `client` cells may mean, in one query. */
  private async namedClients(manager: EntityManager, rows: CsvRow[]): Promise<Client[]> {
    const cells = [...new Set(rows.map((r) => r.values.client ?? '').filter((c) => c !== ''))];
    if (cells.length === 0) return [];
    const ids = cells.filter((c) => UUID.test(c)).map((c) => c.toLowerCase());
    const names = cells.map((c) => ClientDirectory.key(c));
    return manager
      .createQueryBuilder(Client, 'c')
      .select(['c.id', 'c.name'])
      .where('c.id = ANY(:ids::uuid[]) OR lower(c.name) = ANY(:names)', { ids, names })
      .getMany();
  }

  private summarise(rows: DomainImportRowDto[], options: ImportOptions): DomainImportReportDto {
    const count = (result: DomainImportRowDto['result']) => rows.filter((r) => r.result === result).length;
    const errors = count('error');
    const rolledBack = options.atomic && !options.dryRun && errors > 0;
    const created = rolledBack ? 0 : count('created');
    const updated = rolledBack ? 0 : count('updated');
    const rowsWithErrors = `${errors} row${errors === 1 ? ' has an error' : 's have errors'}`;
    const message = options.dryRun
      ? `Dry run, nothing was written: ${count('created')} would be created, ${count('updated')} updated; ${rowsWithErrors}.`
      : rolledBack
        ? `Nothing was written: ${rowsWithErrors} and the import is atomic, so every row was rolled back.`
        : `${created} created, ${updated} updated; ${rowsWithErrors}.`;
    return { dryRun: options.dryRun, atomic: options.atomic, rolledBack, created, updated, errors, message, rows };
  }
}
