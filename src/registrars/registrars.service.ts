// Registrars: the queries and changes behind /api/registrars, and the find-or-create the domains
// module uses when a domain (or a CSV row) names its registrar.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { likePattern } from '../common/like-pattern';
import { ConflictError, InvalidError, NotFoundError, type FieldError } from '../common/errors';
import { page, type Page } from '../common/page';
import { Domain } from '../domains/domain.entity';
import { parseDomainName } from '../domains/domain-name';
import type { CreateRegistrarDto, RegistrarQuery, UpdateRegistrarDto } from './dto/registrar.dto';
import { registrarView, type RegistrarDto } from './dto/registrar-views';
import { Registrar } from './registrar.entity';

const MAX_NAME_LENGTH = 200;

/**
 * Sender domains in the form Aster matches on (lowercase ASCII registrable names), duplicates
 * dropped; every bad entry is reported by its position, e.g. `senderDomains.2`.
 */
export function normaliseSenderDomains(input: unknown[]): string[] {
  const errors: FieldError[] = [];
  const out: string[] = [];
  input.forEach((raw, i) => {
    if (typeof raw !== 'string') {
      errors.push({ field: `senderDomains.${i}`, message: 'must be a domain name such as gandi.net' });
      return;
    }
    const check = parseDomainName(raw);
    if (!check.ok) errors.push({ field: `senderDomains.${i}`, message: check.reason });
    else if (!out.includes(check.name.ascii)) out.push(check.name.ascii);
  });
  if (errors.length) throw new InvalidError(errors);
  return out;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

@Injectable()
export class RegistrarsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateRegistrarDto, actor: Actor): Promise<RegistrarDto> {
    const senderDomains = normaliseSenderDomains(dto.senderDomains ?? []);
    return this.db.transaction(async (manager) => {
      await this.assertNameFree(manager, dto.name);
      if (dto.ianaId != null) await this.assertIanaIdFree(manager, dto.ianaId);
      const registrar = await manager.save(manager.create(Registrar, { name: dto.name, ianaId: dto.ianaId ?? null, senderDomains, notes: dto.notes ?? null }));
      const view = registrarView(registrar);
      await this.audit.record(manager, actor, { action: 'create', entityType: 'registrar', entityId: registrar.id, after: view });
      return view;
    });
  }

  async list(query: RegistrarQuery): Promise<Page<RegistrarDto>> {
    const qb = this.db.getRepository(Registrar).createQueryBuilder('r');
    if (query.q) {
      qb.andWhere('(r.name ILIKE :q OR EXISTS (SELECT 1 FROM unnest(r.senderDomains) s WHERE s ILIKE :q))', {
        q: likePattern(query.q),
      });
    }
    qb.orderBy('lower(r.name)').addOrderBy('r.id').offset(query.skip).limit(query.limit);
    const [registrars, total] = await qb.getManyAndCount();
    return page(registrars.map(registrarView), total, query);
  }

  /** The registrar with this id; NotFoundError for an unknown or malformed id. */
  async findById(id: string): Promise<Registrar> {
    const registrar = isUUID(id) ? await this.db.manager.findOneBy(Registrar, { id: id.toLowerCase() }) : null;
    if (!registrar) throw new NotFoundError('Registrar', id);
    return registrar;
  }

  async get(id: string): Promise<RegistrarDto> {
    return registrarView(await this.findById(id));
  }

  async update(id: string, dto: UpdateRegistrarDto, actor: Actor): Promise<RegistrarDto> {
    const senderDomains = dto.senderDomains === undefined ? undefined : normaliseSenderDomains(dto.senderDomains);
    return this.db.transaction(async (manager) => {
      const registrar = await this.lock(manager, id);
      const before = registrarView(registrar);
      const changes: Partial<Pick<Registrar, 'name' | 'ianaId' | 'senderDomains' | 'notes'>> = {};
      if (dto.name !== undefined && dto.name !== registrar.name) {
        if (dto.name.toLowerCase() !== registrar.name.toLowerCase()) await this.assertNameFree(manager, dto.name);
        changes.name = dto.name;
      }
      if (dto.ianaId !== undefined && dto.ianaId !== registrar.ianaId) {
        if (dto.ianaId !== null) await this.assertIanaIdFree(manager, dto.ianaId);
        changes.ianaId = dto.ianaId;
      }
      if (senderDomains && !sameList(senderDomains, registrar.senderDomains)) changes.senderDomains = senderDomains;
      if (dto.notes !== undefined && dto.notes !== registrar.notes) changes.notes = dto.notes;
      if (Object.keys(changes).length === 0) return before;
      await manager.update(Registrar, id, changes);
      const after = registrarView(await this.lock(manager, id));
      await this.audit.record(manager, actor, { action: 'update', entityType: 'registrar', entityId: id, before, after });
      return after;
    });
  }

  /**
   * Deletes the registrar; its domains keep existing with no registrar (ON DELETE SET NULL). The
   * audit event lists those domains, so a mistaken delete can be undone by hand.
   */
  async remove(id: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (manager) => {
      const registrar = await this.lock(manager, id);
      const domains = await manager.find(Domain, { select: { id: true, name: true }, where: { registrarId: id }, order: { name: 'ASC' } });
      await manager.delete(Registrar, id);
      await this.audit.record(manager, actor, {
        action: 'delete',
        entityType: 'registrar',
        entityId: id,
        before: { ...registrarView(registrar), domains: domains.map((d) => d.name) },
      });
    });
  }

  /**
   * Whether `domain` (a registrable name in lowercase ASCII, e.g. a From address's) is one of a
   * known registrar's sender domains: what sender verification asks once per message.
   */
  /**
   * Every registrar with its sender domains and IANA id: routing tells a registrar's mail from a
   * look-alike by them, and knows which registrar a message comes from.
   */
  async senderDirectory(): Promise<{ name: string; ianaId: number | null; senderDomains: string[] }[]> {
    return this.db.query('SELECT name, "ianaId", "senderDomains" FROM registrar ORDER BY name');
  }

  async isRegistrarSenderDomain(domain: string): Promise<boolean> {
    const rows: { known: boolean }[] = await this.db.query('SELECT EXISTS (SELECT 1 FROM registrar WHERE $1 = ANY("senderDomains")) AS known', [domain]);
    return rows[0]?.known === true;
  }

  /**
   * The registrar a domain or CSV row names: by id when `name` is a registrar's UUID, otherwise by
   * name regardless of case, created (and audited) when new. Runs in the caller's transaction.
   * Two callers creating the same new name at once both get the one row (INSERT … ON CONFLICT).
   */
  async findOrCreateByName(manager: EntityManager, name: string, actor: Actor): Promise<Registrar> {
    const wanted = typeof name === 'string' ? name.trim() : '';
    if (wanted === '') throw InvalidError.field('registrar', 'must name a registrar (its name, or the id of an existing one)');
    if (wanted.length > MAX_NAME_LENGTH) throw InvalidError.field('registrar', `must be at most ${MAX_NAME_LENGTH} characters`);
    if (isUUID(wanted)) {
      const byId = await manager.findOneBy(Registrar, { id: wanted.toLowerCase() });
      // A UUID is never meant as a new registrar's name: it is a mistyped or deleted id.
      if (!byId) throw InvalidError.field('registrar', `no registrar has the id ${wanted}`);
      return byId;
    }
    const existing = await this.findByName(manager, wanted);
    if (existing) return existing;
    const inserted = await manager.createQueryBuilder().insert().into(Registrar).values({ name: wanted }).orIgnore().returning(['id']).execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    if (!id) {
      // Another transaction created it between our look-up and our insert.
      const theirs = await this.findByName(manager, wanted);
      if (!theirs) throw new ConflictError(`Registrar '${wanted}' could not be created; try again`);
      return theirs;
    }
    const created = await manager.findOneByOrFail(Registrar, { id });
    await this.audit.record(manager, actor, { action: 'create', entityType: 'registrar', entityId: id, after: registrarView(created) });
    return created;
  }

  private findByName(manager: EntityManager, name: string): Promise<Registrar | null> {
    return manager.createQueryBuilder(Registrar, 'r').where('lower(r.name) = lower(:name)', { name }).getOne();
  }

  private async lock(manager: EntityManager, id: string): Promise<Registrar> {
    const registrar = await manager.findOne(Registrar, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!registrar) throw new NotFoundError('Registrar', id);
    return registrar;
  }

  private async assertNameFree(manager: EntityManager, name: string): Promise<void> {
    const other = await this.findByName(manager, name);
    if (other) throw new ConflictError(`A registrar named '${other.name}' already exists (id ${other.id}); names are compared without regard to case`);
  }

  private async assertIanaIdFree(manager: EntityManager, ianaId: number): Promise<void> {
    const other = await manager.findOneBy(Registrar, { ianaId });
    if (other) throw new ConflictError(`IANA Registrar ID ${ianaId} already belongs to registrar '${other.name}' (id ${other.id})`);
  }
}
