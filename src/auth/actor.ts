// Who is making a request: the token behind it, its role and (for client tokens) its client.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from './api-token.entity';

export interface Actor {
  /** null for the ADMIN_TOKEN from the environment. */
  tokenId: string | null;
  role: Role;
  /** Set for client tokens: the one client this token may see. */
  clientId: string | null;
  /** For the audit log: the token's name and role. */
  label: string;
  requestId: string | null;
}

/** A client token sees only its own client; staff and admin see everything (undefined). */
export function clientScope(actor: Actor): string | undefined {
  return actor.role === 'client' ? (actor.clientId ?? '00000000-0000-0000-0000-000000000000') : undefined;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
