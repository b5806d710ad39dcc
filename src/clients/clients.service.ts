// Clients: the queries and changes behind /api/clients, and what other modules ask about a client
// (is it visible to this token, who receives its notices).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { clientScope, type Actor } from '../auth/actor';
import { ConflictError, NotFoundError } from '../common/errors';
import { likePattern } from '../common/like-pattern';
import { page, type Page } from '../common/page';
import { Domain } from '../domains/domain.entity';
import { Client } from './client.entity';
import { Contact } from './contact.entity';
import type { ClientQuery, CreateClientDto, UpdateClientDto } from './dto/client.dto';
import { clientView, type ClientDetailDto, type ClientDto, type ClientListItemDto } from './dto/client-views';

/** Contacts are listed oldest first (then by name: contacts created together share a timestamp). */
export const CONTACT_ORDER = { createdAt: 'ASC', name: 'ASC', id: 'ASC' } as const;

/** How many domain names an error message spells out before it says "and N more". */
const NAMED_IN_MESSAGES = 10;

/** How many domains a client has, and the first few names (for error messages). */
export interface DomainSummary {
  total: number;
  names: string[];
}

/** "a.com, b.com" or "a.com, …, j.com and 5 more". */
export function listDomains(summary: DomainSummary): string {
  const rest = summary.total - summary.names.length;
  return summary.names.join(', ') + (rest > 0 ? ` and ${rest} more` : '');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateClientDto, actor: Actor): Promise<ClientDto> {
    const seen = new Map<string, number>();
    dto.contacts.forEach((c, i) => {
      const key = c.email.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        throw new ConflictError(`contacts.${i}.email: ${c.email} is also contacts.${first}.email; each contact of a client needs an address of its own`);
      }
      seen.set(key, i);
    });
    return this.db.transaction(async (manager) => {
      const client = await manager.save(manager.create(Client, { name: dto.name, notes: dto.notes ?? null }));
      client.contacts = await manager.save(
        dto.contacts.map((c) => manager.create(Contact, { clientId: client.id, name: c.name, email: c.email, receivesNotices: c.receivesNotices ?? true })),
      );
      const view = clientView(client);
      await this.audit.record(manager, actor, { action: 'create', entityType: 'client', entityId: client.id, after: view });
      return view;
    });
  }

  async list(query: ClientQuery, actor: Actor): Promise<Page<ClientListItemDto>> {
    const qb = this.db.getRepository(Client).createQueryBuilder('c');
    const scope = clientScope(actor);
    if (scope !== undefined) qb.andWhere('c.id = :scope', { scope });
    if (query.q) {
      qb.andWhere('(c.name ILIKE :q OR EXISTS (SELECT 1 FROM contact k WHERE k."clientId" = c.id AND k.email ILIKE :q))', { q: likePattern(query.q) });
    }
    qb.orderBy('lower(c.name)').addOrderBy('c.id').offset(query.skip).limit(query.limit);
    const [clients, total] = await qb.getManyAndCount();
    const ids = clients.map((c) => c.id);
    const [contacts, counts] = ids.length
      ? await Promise.all([
          this.db.manager.find(Contact, { where: { clientId: In(ids) }, order: CONTACT_ORDER }),
          this.db.manager
            .createQueryBuilder(Domain, 'd')
            .select('d.clientId', 'clientId')
            .addSelect('count(*)::int', 'count')
            .where('d.clientId IN (:...ids)', { ids })
            .groupBy('d.clientId')
            .getRawMany<{ clientId: string; count: number }>(),
        ])
      : [[], []];
    const domainCount = new Map(counts.map((r) => [r.clientId, r.count]));
    const items = clients.map((client) => {
      client.contacts = contacts.filter((k) => k.clientId === client.id);
      return { ...clientView(client), domainCount: domainCount.get(client.id) ?? 0 };
    });
    return page(items, total, query);
  }

  /**
   * The client with its contacts, if this actor may see it. A client token asking for another
   * client gets exactly the answer an unknown id gets, so ids cannot be probed.
   */
  async findVisible(id: string, actor: Actor): Promise<Client> {
    const key = id.toLowerCase();
    const scope = clientScope(actor);
    if (!isUUID(key) || (scope !== undefined && scope !== key)) throw new NotFoundError('Client', id);
    const client = await this.db.manager.findOne(Client, { where: { id: key } });
    if (!client) throw new NotFoundError('Client', id);
    client.contacts = await this.db.manager.find(Contact, { where: { clientId: key }, order: CONTACT_ORDER });
    return client;
  }

  async detail(id: string, actor: Actor): Promise<ClientDetailDto> {
    const client = await this.findVisible(id, actor);
    const domains = await this.db.manager.find(Domain, {
      select: { name: true, unicodeName: true },
      where: { clientId: client.id },
      order: { name: 'ASC' },
    });
    return { ...clientView(client), domains: domains.map((d) => ({ name: d.name, unicodeName: d.unicodeName })) };
  }

  /** Who gets a copy of every notice about this client's domains. */
  async contactsReceivingNotices(clientId: string): Promise<Contact[]> {
    return this.db.manager.find(Contact, { where: { clientId, receivesNotices: true }, order: CONTACT_ORDER });
  }

  async update(id: string, dto: UpdateClientDto, actor: Actor): Promise<ClientDto> {
    return this.db.transaction(async (manager) => {
      const client = await this.lock(manager, id);
      const before = clientView(client);
      const changes: Partial<Pick<Client, 'name' | 'notes'>> = {};
      if (dto.name !== undefined && dto.name !== client.name) changes.name = dto.name;
      if (dto.notes !== undefined && dto.notes !== client.notes) changes.notes = dto.notes;
      if (Object.keys(changes).length === 0) return before;
      await manager.update(Client, id, changes);
      const after = clientView(await this.lock(manager, id));
      await this.audit.record(manager, actor, { action: 'update', entityType: 'client', entityId: id, before, after });
      return after;
    });
  }

  /** Refused while the client has domains: they would be left without an owner to tell. */
  async remove(id: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (manager) => {
      const client = await this.lock(manager, id);
      const domains = await this.domainSummary(manager, id);
      if (domains.total > 0) {
        const them = domains.total === 1 ? 'it' : 'them';
        throw new ConflictError(`Client still has ${plural(domains.total, 'domain')}: ${listDomains(domains)}; move or delete ${them} first`);
      }
      // Contacts and the client's tokens go with it (ON DELETE CASCADE).
      await manager.delete(Client, id);
      await this.audit.record(manager, actor, { action: 'delete', entityType: 'client', entityId: id, before: clientView(client) });
    });
  }

  /**
   * Reads the client (with contacts) and locks its row until the transaction ends. Every change
   * to a client or its contacts takes this lock first, so checks such as "someone still receives
   * notices" cannot race; a domain being added for the client waits for it too (its foreign key).
   */
  async lock(manager: EntityManager, id: string): Promise<Client> {
    const client = await manager.findOne(Client, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!client) throw new NotFoundError('Client', id);
    client.contacts = await manager.find(Contact, { where: { clientId: id }, order: CONTACT_ORDER });
    return client;
  }

  /** Which of `ids` are clients, in one query within the caller's transaction. */
  async existingIds(manager: EntityManager, ids: string[]): Promise<Set<string>> {
    const found = await manager.find(Client, { select: { id: true }, where: { id: In(ids) } });
    return new Set(found.map((c) => c.id));
  }

  /**
   * Whom a letter is addressed to: the client's name and the contact's, in one query (a welcome
   * letter). Either is null when its row no longer exists.
   */
  async addressee(clientId: string | null, contactId: string | null): Promise<{ client: { id: string; name: string } | null; contactName: string | null }> {
    const [row] = await this.db.query<{ clientId: string | null; clientName: string | null; contactName: string | null }[]>(
      `SELECT c.id AS "clientId", c.name AS "clientName", ct.name AS "contactName"
         FROM (SELECT 1) one
         LEFT JOIN client c ON c.id = $1::uuid
         LEFT JOIN contact ct ON ct.id = $2::uuid`,
      [clientId, contactId],
    );
    return { client: row.clientId !== null && row.clientName !== null ? { id: row.clientId, name: row.clientName } : null, contactName: row.contactName };
  }

  async domainSummary(manager: EntityManager, clientId: string): Promise<DomainSummary> {
    const [domains, total] = await manager.findAndCount(Domain, {
      select: { id: true, name: true },
      where: { clientId },
      order: { name: 'ASC' },
      take: NAMED_IN_MESSAGES,
    });
    return { total, names: domains.map((d) => d.name) };
  }
}
