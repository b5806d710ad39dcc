// Domains: create, read (scoped for client tokens), change, delete — every change audited in
// its own transaction — and the lookups later modules need (findVisible, findByAsciiNames).
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { clientScope, type Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { Client } from '../clients/client.entity';
import { ConflictError, InvalidError, NotFoundError, type FieldError } from '../common/errors';
import { likePattern } from '../common/like-pattern';
import { page, type Page } from '../common/page';
import type { AsterConfig } from '../config/config';
import { ASTER_CONFIG } from '../config/config.module';
import { Registrar } from '../registrars/registrar.entity';
import { RegistrarsService } from '../registrars/registrars.service';
import { guidanceUrl, noticeAddress } from './domain-addresses';
import { checkDateOrder, parseIsoDate, readDomainFields, readDomainName } from './domain-fields';
import { toAsciiHost, type DomainName } from './domain-name';
import { Domain, type DomainState } from './domain.entity';
import type { CreateDomainDto } from './dto/create-domain.dto';
import type { DomainDto } from './dto/domain.dto';
import type { DomainQuery } from './dto/domain-query.dto';
import type { UpdateDomainDto } from './dto/update-domain.dto';

/** A change to a domain in stored form; absent keys stay as they are. */
export interface DomainChanges {
  clientId?: string;
  registrar?: Registrar | null;
  registeredAt?: Date | null;
  expiresAt?: Date | null;
  lastTransferredAt?: Date | null;
  registrantChangedAt?: Date | null;
  statuses?: string[];
  nameservers?: string[];
  autoRenew?: boolean | null;
  registrantChangeOptOut?: boolean;
  state?: DomainState;
  notes?: string | null;
}

/** The audit action of a write: through the REST API, or a row of a CSV import. */
export type DomainWriteAction = 'create' | 'update' | 'import';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored columns a change may touch, and how to tell whether a value really changed. */
const CHANGEABLE: Record<Exclude<keyof DomainChanges, 'registrar'> | 'registrarId', (a: unknown, b: unknown) => boolean> = {
  clientId: Object.is,
  registrarId: Object.is,
  registeredAt: sameDate,
  expiresAt: sameDate,
  lastTransferredAt: sameDate,
  registrantChangedAt: sameDate,
  statuses: sameList,
  nameservers: sameList,
  autoRenew: Object.is,
  registrantChangeOptOut: Object.is,
  state: Object.is,
  notes: Object.is,
};

/** What a new domain holds where its creator gave nothing. */
const NEW_DOMAIN = {
  registrarId: null,
  registeredAt: null,
  expiresAt: null,
  lastTransferredAt: null,
  registrantChangedAt: null,
  statuses: [],
  nameservers: [],
  autoRenew: null,
  registrantChangeOptOut: false,
  state: 'active',
  notes: null,
  lastNoticeAt: null,
} satisfies Partial<Domain>;

function sameDate(a: unknown, b: unknown): boolean {
  return (a as Date | null)?.getTime() === (b as Date | null)?.getTime();
}

function sameList(a: unknown, b: unknown): boolean {
  return (a as string[]).join('\n') === (b as string[]).join('\n');
}

@Injectable()
export class DomainsService {
  constructor(
    @InjectRepository(Domain) private readonly domains: Repository<Domain>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly registrars: RegistrarsService,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateDomainDto, actor: Actor): Promise<DomainDto> {
    const { name, error } = readDomainName(dto.name);
    const { values, errors } = readDomainFields(dto);
    if (error || errors.length > 0) throw new InvalidError([...(error ? [error] : []), ...errors]);
    return this.db.transaction(async (manager) => {
      if (await manager.existsBy(Domain, { name: name!.ascii })) {
        throw new ConflictError(`Domain ${name!.ascii} is already tracked`);
      }
      await this.requireClient(manager, dto.clientId);
      const registrar = dto.registrar == null ? null : await this.registrars.findOrCreateByName(manager, dto.registrar, actor);
      const changes: DomainChanges = {
        ...values,
        clientId: dto.clientId,
        registrar,
        autoRenew: dto.autoRenew ?? null,
        registrantChangeOptOut: dto.registrantChangeOptOut ?? false,
        state: dto.state ?? 'active',
        notes: dto.notes ?? null,
      };
      return this.view(await this.write(manager, actor, 'create', null, name!, changes));
    });
  }

  /**
   * One page of the domains that match the filters, sorted by name, with the exact total, in one
   * statement (one round trip) that joins a registrar to none but the page's rows: the page is a
   * deferred join (the page's names picked on `domain` alone, from the name index, then only those
   * rows read with their registrar's name), and the total is a plain `count(*)` on `domain`. The
   * registrar filter is a semi-join on `registrarId` (many-to-one, so it never multiplies rows).
   * `after` (keyset) replaces the OFFSET of `page` with `name > :after`.
   */
  async list(query: DomainQuery, actor: Actor): Promise<Page<DomainDto>> {
    const expiresBefore = query.expiresBefore === undefined ? undefined : parseIsoDate(query.expiresBefore);
    if (query.expiresBefore !== undefined && !expiresBefore) {
      throw InvalidError.field('expiresBefore', `'${query.expiresBefore}' is not a date; use ISO 8601, e.g. 2026-06-01`);
    }
    if (query.after !== undefined && query.page > 1) {
      throw InvalidError.field('after', 'give either page or after (the name of the last domain of the previous page), not both');
    }
    const scope = clientScope(actor);
    const matching = (alias: string) => {
      const qb = this.domains.createQueryBuilder(alias);
      if (scope) qb.andWhere(`${alias}.clientId = :scope`, { scope });
      if (query.clientId) qb.andWhere(`${alias}.clientId = :clientId`, { clientId: query.clientId });
      if (query.q) {
        // Names are stored in lower case, so lowering the term is enough (and works for any script).
        const pattern = likePattern(query.q.normalize('NFC').trim().toLowerCase());
        qb.andWhere(`(${alias}.name LIKE :pattern OR ${alias}.unicodeName LIKE :pattern)`, { pattern });
      }
      if (expiresBefore) qb.andWhere(`${alias}.expiresAt < :before`, { before: expiresBefore });
      if (query.registrar) {
        const registrar = query.registrar.trim();
        const which = UUID.test(registrar) ? 'rf.id = :registrarId OR lower(rf.name) = lower(:registrar)' : 'lower(rf.name) = lower(:registrar)';
        qb.andWhere(`${alias}.registrarId IN (SELECT rf.id FROM registrar rf WHERE ${which})`, { registrar, registrarId: registrar.toLowerCase() });
      }
      if (query.noticeSeen !== undefined) {
        qb.andWhere(query.noticeSeen === 'true' ? `${alias}.lastNoticeAt IS NOT NULL` : `${alias}.lastNoticeAt IS NULL`);
      }
      return qb;
    };

    const keys = matching('k').select('k.name').orderBy('k.name', 'ASC').limit(query.limit);
    if (query.after !== undefined) {
      const after = query.after.trim();
      keys.andWhere('k.name > :after', { after: toAsciiHost(after) || after.toLowerCase() });
    } else {
      keys.offset(query.skip);
    }
    const count = matching('c').select('count(*)', 'total');
    // Without a page (one past the end) the count's row still comes, with nulls for the domain.
    const [sql, parameters] = this.db.driver.escapeQueryWithParameters(
      `SELECT t.total, p.* FROM (${count.getQuery()}) t
         LEFT JOIN (SELECT d.*, r.name AS "registrarName" FROM domain d LEFT JOIN registrar r ON r.id = d."registrarId"
                     WHERE d.name IN (${keys.getQuery()})) p ON true
        ORDER BY p.name`,
      { ...count.getParameters(), ...keys.getParameters() },
    );
    const rows: (Omit<Domain, 'registrar'> & { total: string; registrarName: string | null })[] = await this.db.query(sql, parameters);
    const total = Number(rows[0].total);
    const items = rows
      .filter((row) => row.id !== null)
      .map(({ total: _total, registrarName, ...domain }) =>
        // view() reads the registrar's name only; the columns come back named as the entity's properties.
        this.view({ ...domain, registrar: registrarName === null ? null : ({ name: registrarName } as Registrar) }),
      );
    return page(items, total, query);
  }

  /**
   * The domain called `name` (ASCII or Unicode, any case) with its registrar, if the actor may see
   * it; a client token asking for another client's domain gets the same NotFoundError as for none.
   * One statement (TypeORM's findOne with relations takes two).
   */
  async findVisible(name: string, actor: Actor): Promise<Domain> {
    const ascii = toAsciiHost(name);
    const scope = clientScope(actor);
    const domain =
      ascii === '' ? null : await this.domains.createQueryBuilder('d').leftJoinAndSelect('d.registrar', 'r').where('d.name = :name', { name: ascii }).getOne();
    if (!domain || (scope !== undefined && domain.clientId !== scope)) throw new NotFoundError('Domain', name);
    return domain;
  }

  /** The domain behind a public guidance link (`/guide/domain/:token`), with its registrar, or null. */
  async findByGuidanceToken(token: string): Promise<Domain | null> {
    if (!/^[0-9a-f]{16,64}$/.test(token)) return null;
    return this.domains.createQueryBuilder('d').leftJoinAndSelect('d.registrar', 'r').where('d.guidanceToken = :token', { token }).getOne();
  }

  /**
   * The tracked domains among `names` (lowercase ASCII): their name and client only, in one query on
   * the unique name index (the mail hot path: matching and the RCPT check).
   */
  /**
   * The tracked domains among `names`, with their client, registrar of record and the registry
   * watch's last successful view (routing's lookup: one query).
   */
  async findByAsciiNames(
    names: string[],
  ): Promise<(Pick<Domain, 'id' | 'name' | 'clientId' | 'registry' | 'registryOkAt'> & { registrarName: string | null; registrarSenderDomains: string[] })[]> {
    if (names.length === 0) return [];
    return this.db.query(
      `SELECT d.id, d.name, d."clientId", d.registry, d."registryOkAt", r.name AS "registrarName", coalesce(r."senderDomains", '{}') AS "registrarSenderDomains"
         FROM domain d LEFT JOIN registrar r ON r.id = d."registrarId"
        WHERE d.name = ANY($1::varchar[])`,
      [names],
    );
  }

  /** The owning client of each tracked domain among `names` (ASCII), in one query within the caller's transaction. */
  async ownersOf(manager: EntityManager, names: string[]): Promise<{ name: string; clientId: string }[]> {
    return manager.query('SELECT name, "clientId" FROM domain WHERE name = ANY($1)', [names]);
  }

  /** All of a client's domains, by name, with their registrar's name: one query (the welcome letter). */
  async ofClientWithRegistrar(
    clientId: string,
  ): Promise<(Pick<Domain, 'name' | 'unicodeName' | 'registeredAt' | 'expiresAt' | 'guidanceToken'> & { registrar: string | null })[]> {
    return this.db.query(
      `SELECT d.name, d."unicodeName", d."registeredAt", d."expiresAt", d."guidanceToken", r.name AS registrar
         FROM domain d LEFT JOIN registrar r ON r.id = d."registrarId"
        WHERE d."clientId" = $1::uuid
        ORDER BY d.name ASC`,
      [clientId],
    );
  }

  async get(name: string, actor: Actor): Promise<DomainDto> {
    return this.view(await this.findVisible(name, actor));
  }

  async update(name: string, dto: UpdateDomainDto, actor: Actor): Promise<DomainDto> {
    const { values, errors } = readDomainFields(dto);
    const more: FieldError[] = [];
    if (dto.clientId === null) more.push({ field: 'clientId', message: 'every domain belongs to a client; give the id of its new client' });
    if (dto.state === null) more.push({ field: 'state', message: 'must be one of the domain states, not null' });
    if (errors.length + more.length > 0) throw new InvalidError([...more, ...errors]);
    return this.db.transaction(async (manager) => {
      const domain = await this.lockByName(manager, name);
      if (dto.clientId !== undefined && dto.clientId !== domain.clientId) await this.requireClient(manager, dto.clientId);
      const changes: DomainChanges = { ...values };
      if (dto.clientId) changes.clientId = dto.clientId;
      if (dto.registrar !== undefined) {
        changes.registrar = dto.registrar === null ? null : await this.registrars.findOrCreateByName(manager, dto.registrar, actor);
      }
      if (dto.autoRenew !== undefined) changes.autoRenew = dto.autoRenew;
      if (dto.registrantChangeOptOut !== undefined && dto.registrantChangeOptOut !== null) changes.registrantChangeOptOut = dto.registrantChangeOptOut;
      if (dto.state) changes.state = dto.state;
      if (dto.notes !== undefined) changes.notes = dto.notes;
      return this.view(await this.write(manager, actor, 'update', domain, null, changes));
    });
  }

  async remove(name: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (manager) => {
      const domain = await this.lockByName(manager, name);
      await manager.delete(Domain, { id: domain.id });
      await this.audit.record(manager, actor, { action: 'delete', entityType: 'domain', entityId: domain.id, before: this.view(domain) });
    });
  }

  /**
   * Creates (`existing` null, `name` given) or changes a domain inside `manager`'s transaction and
   * audits it there. Checks expiresAt against registeredAt on the record as it will be. Returns
   * the domain as stored, with its registrar. Shared by the REST API and the CSV import.
   */
  async write(
    manager: EntityManager,
    actor: Actor,
    action: DomainWriteAction,
    existing: Domain | null,
    name: DomainName | null,
    changes: DomainChanges,
  ): Promise<Domain> {
    const { registrar, ...columns } = changes;
    const next = { ...existing, ...columns, ...(registrar !== undefined ? { registrarId: registrar?.id ?? null } : {}) };
    const order = checkDateOrder(next.registeredAt ?? null, next.expiresAt ?? null);
    if (order) throw new InvalidError([order]);

    if (!existing) {
      if (!name) throw new Error('DomainsService.write: a new domain needs a name');
      const created = manager.create(Domain, { ...NEW_DOMAIN, ...next, name: name.ascii, unicodeName: name.unicode });
      await manager.insert(Domain, created); // fills in id, createdAt and updatedAt
      created.registrar = registrar ?? null;
      await this.audit.record(manager, actor, { action, entityType: 'domain', entityId: created.id, after: this.view(created) });
      return created;
    }

    const before = this.view(existing);
    const set: Record<string, unknown> = {};
    for (const [column, same] of Object.entries(CHANGEABLE)) {
      const value = (next as Record<string, unknown>)[column];
      if (value !== undefined && !same(value, (existing as unknown as Record<string, unknown>)[column])) set[column] = value;
    }
    let after = existing;
    if (Object.keys(set).length > 0) {
      await manager.update(Domain, { id: existing.id }, set);
      after = await manager.findOneOrFail(Domain, { where: { id: existing.id }, relations: { registrar: true } });
    }
    await this.audit.record(manager, actor, { action, entityType: 'domain', entityId: existing.id, before, after: this.view(after) });
    return after;
  }

  /** The API's view of a domain; `registrar` (the relation) must be loaded. */
  view(d: Domain): DomainDto {
    return {
      id: d.id,
      name: d.name,
      unicodeName: d.unicodeName,
      noticeAddress: noticeAddress(d.name, this.config.mailDomain),
      guidanceUrl: guidanceUrl(this.config.publicUrl, d.guidanceToken),
      clientId: d.clientId,
      registrar: d.registrar?.name ?? null,
      registrarId: d.registrarId,
      registeredAt: d.registeredAt,
      expiresAt: d.expiresAt,
      lastTransferredAt: d.lastTransferredAt,
      registrantChangedAt: d.registrantChangedAt,
      statuses: d.statuses,
      nameservers: d.nameservers,
      autoRenew: d.autoRenew,
      registrantChangeOptOut: d.registrantChangeOptOut,
      state: d.state,
      notes: d.notes,
      lastNoticeAt: d.lastNoticeAt,
      registry: d.registry ?? null,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  }

  /** The domain called `name`, locked for the rest of the transaction, with its registrar. */
  private async lockByName(manager: EntityManager, name: string): Promise<Domain> {
    const ascii = toAsciiHost(name);
    const domain = ascii === '' ? null : await manager.findOne(Domain, { where: { name: ascii }, lock: { mode: 'pessimistic_write' } });
    if (!domain) throw new NotFoundError('Domain', name);
    domain.registrar = domain.registrarId ? await manager.findOneBy(Registrar, { id: domain.registrarId }) : null;
    return domain;
  }

  private async requireClient(manager: EntityManager, clientId: string): Promise<void> {
    if (!(await manager.existsBy(Client, { id: clientId }))) throw InvalidError.field('clientId', `no client with id ${clientId}`);
  }
}
