// Contacts: adding, changing and removing the people at a client who receive registrar notices.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { ConflictError, NotFoundError } from '../common/errors';
import type { Client } from './client.entity';
import { ClientsService, listDomains, plural } from './clients.service';
import { Contact } from './contact.entity';
import { contactWithClientView, type ContactWithClientDto } from './dto/client-views';
import type { CreateContactDto, UpdateContactDto } from './dto/contact.dto';

@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
  ) {}

  async add(clientId: string, dto: CreateContactDto, actor: Actor): Promise<ContactWithClientDto> {
    return this.db.transaction(async (manager) => {
      const client = await this.clients.lock(manager, clientId);
      this.assertAddressFree(client, dto.email);
      const contact = await manager.save(manager.create(Contact, { clientId, name: dto.name, email: dto.email, receivesNotices: dto.receivesNotices ?? true }));
      const view = contactWithClientView(contact);
      await this.audit.record(manager, actor, { action: 'create', entityType: 'contact', entityId: contact.id, after: view });
      return view;
    });
  }

  async update(id: string, dto: UpdateContactDto, actor: Actor): Promise<ContactWithClientDto> {
    return this.db.transaction(async (manager) => {
      const { client, contact } = await this.lock(manager, id);
      const before = contactWithClientView(contact);
      const changes: Partial<Pick<Contact, 'name' | 'email' | 'receivesNotices'>> = {};
      if (dto.name !== undefined && dto.name !== contact.name) changes.name = dto.name;
      if (dto.email !== undefined && dto.email !== contact.email) {
        this.assertAddressFree(client, dto.email, contact.id);
        changes.email = dto.email;
      }
      if (dto.receivesNotices !== undefined && dto.receivesNotices !== contact.receivesNotices) {
        if (!dto.receivesNotices) await this.assertSomeoneElseReceives(manager, client, contact, 'stop it receiving notices');
        changes.receivesNotices = dto.receivesNotices;
      }
      if (Object.keys(changes).length === 0) return before;
      await manager.update(Contact, id, changes);
      const after = contactWithClientView(await manager.findOneByOrFail(Contact, { id }));
      await this.audit.record(manager, actor, { action: 'update', entityType: 'contact', entityId: id, before, after });
      return after;
    });
  }

  async remove(id: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { client, contact } = await this.lock(manager, id);
      if (contact.receivesNotices) await this.assertSomeoneElseReceives(manager, client, contact, 'delete it');
      await manager.delete(Contact, id);
      await this.audit.record(manager, actor, {
        action: 'delete',
        entityType: 'contact',
        entityId: id,
        before: contactWithClientView(contact),
      });
    });
  }

  /** The contact and its client, with the client's row locked (see ClientsService.lock). */
  private async lock(manager: EntityManager, id: string): Promise<{ client: Client; contact: Contact }> {
    const found = await manager.findOne(Contact, { select: { id: true, clientId: true }, where: { id } });
    if (!found) throw new NotFoundError('Contact', id);
    const client = await this.clients.lock(manager, found.clientId);
    // Read again under the lock: it may have been deleted while we waited.
    const contact = client.contacts.find((c) => c.id === id);
    if (!contact) throw new NotFoundError('Contact', id);
    return { client, contact };
  }

  /** One address per client, compared without regard to case (the unique index agrees). */
  private assertAddressFree(client: Client, email: string, exceptId?: string): void {
    const other = client.contacts.find((c) => c.id !== exceptId && c.email.toLowerCase() === email.toLowerCase());
    if (other) {
      throw new ConflictError(`Client '${client.name}' already has a contact with the address ${other.email} (${other.name})`);
    }
  }

  /**
   * A client that has domains must keep at least one contact receiving notices, or registrar mail
   * about those domains (transfer requests included) would reach nobody. A client without domains
   * may be left without one: there is nothing to miss yet.
   */
  private async assertSomeoneElseReceives(manager: EntityManager, client: Client, contact: Contact, action: string): Promise<void> {
    if (client.contacts.some((c) => c.id !== contact.id && c.receivesNotices)) return;
    const domains = await this.clients.domainSummary(manager, client.id);
    if (domains.total === 0) return;
    throw new ConflictError(
      `${contact.email} is the only contact of client '${client.name}' receiving notices, and the client has ` +
        `${plural(domains.total, 'domain')} (${listDomains(domains)}): registrar notices about them would reach nobody. ` +
        `Add another contact that receives notices before you ${action}`,
    );
  }
}
