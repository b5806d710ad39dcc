// The audit log (staff and admin, as GET /api/audit) and tokens (admin, as /api/tokens).
import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { AuditQuery } from '../audit/dto/audit-query.dto';
import { CreateTokenDto } from '../auth/dto/create-token.dto';
import { TokensService } from '../auth/tokens.service';
import { ClientsService } from '../clients/clients.service';
import { ForbiddenError, InvalidError } from '../common/errors';
import { validationPipe } from '../common/validation';
import type { ConsoleRequest } from './console-http';
import { clientChoices, ConsolePages, one, pageNumber, requireUuid, type Form } from './console-pages';
import { auditPage, tokensPage } from './views/admin.view';

@ConsolePages()
export class ConsoleAdminController {
  constructor(
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
    private readonly clients: ClientsService,
  ) {}

  @Get('audit')
  async auditLog(@Req() req: ConsoleRequest, @Query() query: Form): Promise<string> {
    const actor = req.actor!;
    if (actor.role === 'client') throw new ForbiddenError('A client token may not read the audit log');
    const entityType = one(query.entityType)?.slice(0, 64);
    const pageNo = pageNumber(query.page);
    const result = await this.audit.list(Object.assign(new AuditQuery(), { entityType, page: pageNo, limit: 50 }));
    return auditPage({ ...result, entityType }, actor, req.consoleCsrf!);
  }

  @Get('tokens')
  async tokenList(@Req() req: ConsoleRequest): Promise<string> {
    return this.renderTokens(req.actor!, req.consoleCsrf!, { revoked: false });
  }

  @Get('tokens/revoked')
  async tokenRevoked(@Req() req: ConsoleRequest): Promise<string> {
    return this.renderTokens(req.actor!, req.consoleCsrf!, { revoked: true });
  }

  @Post('tokens')
  async makeToken(@Req() req: ConsoleRequest, @Body() form: Form, @Res() res: Response): Promise<void> {
    const actor = this.admin(req.actor!);
    const input: Form = { role: one(form.role), clientId: one(form.clientId), name: one(form.name) };
    for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
    try {
      const dto = (await validationPipe().transform(input, { type: 'body', metatype: CreateTokenDto })) as CreateTokenDto;
      const made = await this.tokens.create(dto, actor);
      // Shown on this answer only (no redirect): the secret must not sit in a URL or a later page.
      res
        .status(201)
        .type('html')
        .send(await this.renderTokens(actor, req.consoleCsrf!, { created: { token: made.token, role: made.role, name: made.name } }));
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err;
      res
        .status(400)
        .type('html')
        .send(await this.renderTokens(actor, req.consoleCsrf!, { error: err.message }));
    }
  }

  @Post('tokens/:id/revoke')
  async revokeToken(@Req() req: ConsoleRequest, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const actor = this.admin(req.actor!);
    requireUuid('Token', id);
    await this.tokens.revoke(id, actor);
    res.redirect(303, '/console/tokens/revoked');
  }

  private admin(actor: Actor): Actor {
    if (actor.role !== 'admin') throw new ForbiddenError(`A ${actor.role} token may not manage tokens`);
    return actor;
  }

  private async renderTokens(
    actor: Actor,
    csrf: string,
    extra: { created?: { token: string; role: string; name: string | null }; error?: string; revoked?: boolean },
  ): Promise<string> {
    this.admin(actor);
    const [tokens, clients] = await Promise.all([this.tokens.list(), clientChoices(this.clients, actor)]);
    return tokensPage({ tokens, clients, ...extra }, actor, csrf);
  }
}
