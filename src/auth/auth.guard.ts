// Every route needs a bearer token unless marked @Public; then the route's @Roles must include the
// token's role (routes without @Roles are admin-only).
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ASTER_CONFIG } from '../config/config.module';
import type { AsterConfig } from '../config/config';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import type { Role } from './api-token.entity';
import type { Actor } from './actor';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { bearerSecret, sameSecret } from './token-secret';
import { TokensService } from './tokens.service';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor; id?: unknown }>();
    const actor = await this.authenticate(request.headers.authorization, request.id);
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? ['admin'];
    if (!roles.includes(actor.role)) throw new ForbiddenError(`A ${actor.role} token may not do this`);
    return true;
  }

  private async authenticate(header: string | undefined, requestId: unknown): Promise<Actor> {
    const secret = bearerSecret(header);
    if (!secret) throw new UnauthenticatedError();
    const reqId = typeof requestId === 'string' ? requestId : null;
    if (this.config.adminToken && sameSecret(secret, this.config.adminToken)) {
      return { tokenId: null, role: 'admin', clientId: null, label: 'ADMIN_TOKEN (admin)', requestId: reqId };
    }
    const token = await this.tokens.findActive(secret);
    if (!token) throw new UnauthenticatedError('The bearer token is unknown or has been revoked');
    return {
      tokenId: token.id,
      role: token.role,
      clientId: token.clientId,
      label: `${token.name ?? token.id} (${token.role})`,
      requestId: reqId,
    };
  }
}
