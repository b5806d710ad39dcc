// The audit trail: every change made through the API, written in the same transaction as the change.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Actor } from '../auth/actor';
import { page, type Page } from '../common/page';
import { AuditEvent } from './audit-event.entity';
import type { AuditQuery } from './dto/audit-query.dto';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Serialises a record for the log: dates as ISO strings, never secrets. */
function snapshot(value: unknown): object | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'tokenHash' || key === 'token' ? undefined : v))) as object | null;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(manager: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    await manager.insert(AuditEvent, {
      tokenId: actor.tokenId,
      actor: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
      requestId: actor.requestId,
    });
  }

  async list(query: AuditQuery): Promise<Page<AuditEvent>> {
    const qb = this.events.createQueryBuilder('e').orderBy('e.id', 'DESC').skip(query.skip).take(query.limit);
    if (query.entityType) qb.andWhere('e.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('e.entityId = :entityId', { entityId: query.entityId });
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.tokenId) qb.andWhere('e.tokenId = :tokenId', { tokenId: query.tokenId });
    const [items, total] = await qb.getManyAndCount();
    return page(items, total, query);
  }
}
