// Bearer tokens: create (secret shown once), list, revoke, and look up a presented secret.
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Client } from '../clients/client.entity';
import { InvalidError, NotFoundError } from '../common/errors';
import type { Actor } from './actor';
import { ApiToken } from './api-token.entity';
import type { CreateTokenDto } from './dto/create-token.dto';
import { hashToken, newTokenSecret } from './token-secret';

/** lastUsedAt is refreshed at most this often, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class TokensService {
  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async findActive(secret: string): Promise<ApiToken | null> {
    const token = await this.tokens.findOne({ where: { tokenHash: hashToken(secret), revokedAt: IsNull() } });
    if (token && (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)) {
      await this.tokens.update(token.id, { lastUsedAt: new Date() });
    }
    return token;
  }

  async create(dto: CreateTokenDto, actor: Actor) {
    if (dto.role !== 'client' && dto.clientId !== undefined) {
      throw InvalidError.field('clientId', 'only client tokens are bound to a client; leave clientId out for admin and staff');
    }
    const secret = newTokenSecret();
    return this.db.transaction(async (manager) => {
      if (dto.clientId && !(await manager.existsBy(Client, { id: dto.clientId }))) {
        throw InvalidError.field('clientId', `no client with id ${dto.clientId}`);
      }
      const token = manager.create(ApiToken, {
        role: dto.role,
        clientId: dto.clientId ?? null,
        name: dto.name ?? null,
        tokenHash: hashToken(secret),
      });
      await manager.save(token);
      const view = this.view(token);
      await this.audit.record(manager, actor, { action: 'create', entityType: 'token', entityId: token.id, after: view });
      return { ...view, token: secret };
    });
  }

  async list(): Promise<ReturnType<TokensService['view']>[]> {
    const all = await this.tokens.find({ order: { createdAt: 'DESC' } });
    return all.map((t) => this.view(t));
  }

  async revoke(id: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (manager) => {
      const token = await manager.findOne(ApiToken, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!token) throw new NotFoundError('Token', id);
      if (token.revokedAt) return;
      const before = this.view(token);
      token.revokedAt = new Date();
      await manager.update(ApiToken, id, { revokedAt: token.revokedAt });
      await this.audit.record(manager, actor, { action: 'revoke', entityType: 'token', entityId: id, before, after: this.view(token) });
    });
  }

  private view(t: ApiToken) {
    return {
      id: t.id,
      name: t.name,
      role: t.role,
      clientId: t.clientId,
      createdAt: t.createdAt,
      lastUsedAt: t.lastUsedAt,
      revokedAt: t.revokedAt,
    };
  }
}
