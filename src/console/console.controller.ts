// The staff console: server-rendered pages under /console over the same services as the REST API
// (and so the same roles, scoping and audit log). Handlers only move data between the form or
// query and a service, and hand the result to a view.
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { simpleParser } from 'mailparser';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { AuditQuery } from '../audit/dto/audit-query.dto';
import { CreateTokenDto } from '../auth/dto/create-token.dto';
import { TokensService } from '../auth/tokens.service';
import { Public } from '../auth/roles.decorator';
import { ClientsService } from '../clients/clients.service';
import { ContactsService } from '../clients/contacts.service';
import { ClientQuery, CreateClientDto, UpdateClientDto } from '../clients/dto/client.dto';
import { CreateContactDto } from '../clients/dto/contact.dto';
import type { ClientDetailDto } from '../clients/dto/client-views';
import { AsterError, ForbiddenError, HTTP_STATUS, InvalidError, NotFoundError } from '../common/errors';
import { AuthFailureLimiter } from '../common/rate-limits';
import { validationPipe } from '../common/validation';
import type { AsterConfig } from '../config/config';
import { ASTER_CONFIG } from '../config/config.module';
import { DOMAIN_STATES } from '../domains/domain.entity';
import { DomainsService } from '../domains/domains.service';
import { UpdateDomainDto } from '../domains/dto/update-domain.dto';
import { HOLD_REASONS, MESSAGE_STATUSES } from '../mail/intake/inbound-message.entity';
import { MessageQuery } from '../mail/messages/dto/message-query.dto';
import { WelcomeService } from '../mail/delivery/welcome';
import { MessagesService } from '../mail/messages/messages.service';
import { RegistryWatch } from '../watch/registry-watch.service';
import { ConsoleAuthGuard, CsrfRefused, SignedOutAllowed } from './console-auth.guard';
import { clearCookie, consoleCookies, readCookie, setCookie, type ConsoleRequest } from './console-http';
import { ConsoleQueries, type DomainFilters } from './console-queries';
import { ConsoleSessionsService, sameToken } from './console-sessions.service';
import { ConsoleExceptionFilter } from './console.filter';
import { auditPage, tokensPage } from './views/admin.view';
import { clientPage, clientsPage } from './views/clients.view';
import { CONSOLE_CSS } from './views/console.css';
import { domainPage, domainsPage } from './views/domains.view';
import { loginPage } from './views/login.view';
import { messagePage, messagesPage, type MessagePageView, type MessageView } from './views/messages.view';
import { overviewPage } from './views/overview.view';

/** The most of an original's text the message page shows; the raw download has all of it. */
const TEXT_LIMIT = 200_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Form = Record<string, unknown>;

function text(form: Form, key: string): string | undefined {
  const v = form[key];
  return typeof v === 'string' ? v : undefined;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function lines(value: string | undefined): string[] {
  return (value ?? '').split(/[\r\n,]+/).map((s) => s.trim()).filter(Boolean);
}

function one(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

@ApiExcludeController()
@Controller('console')
@Public() // to the API's bearer AuthGuard; ConsoleAuthGuard checks the session instead
@UseGuards(ConsoleAuthGuard)
@UseFilters(ConsoleExceptionFilter)
export class ConsoleController {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly queries: ConsoleQueries,
    private readonly domains: DomainsService,
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
    private readonly watch: RegistryWatch,
    private readonly moduleRef: ModuleRef,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  /**
   * MailModule does not export MessagesService (yet); it is looked up across modules rather than
   * provided a second time, so there is one instance with its dependencies.
   */
  private get messages(): MessagesService {
    return this.moduleRef.get(MessagesService, { strict: false });
  }

  private get contacts(): ContactsService {
    return this.moduleRef.get(ContactsService, { strict: false });
  }

  private get welcome(): WelcomeService {
    return this.moduleRef.get(WelcomeService, { strict: false });
  }

  private get cookies() {
    return consoleCookies(this.config.publicUrl);
  }

  @Get('console.css')
  @SignedOutAllowed()
  css(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/css').send(CONSOLE_CSS);
  }

  // ---- signing in and out ----

  @Get('login')
  @SignedOutAllowed()
  login(@Req() req: ConsoleRequest, @Res() res: Response): void {
    if (req.actor) return res.redirect(303, '/console');
    res.type('html').send(loginPage(this.loginCsrf(req, res)));
  }

  @Post('login')
  @SignedOutAllowed()
  async signIn(@Req() req: ConsoleRequest, @Body() form: Form, @Res() res: Response): Promise<void> {
    // Before a session exists, the form's _csrf must equal the cookie set with the form (double submit).
    if (!sameToken(text(form, '_csrf'), readCookie(req, this.cookies.loginCsrf) ?? '\0')) throw new CsrfRefused();
    // Refused tokens count as refused bearer tokens do, and a locked-out address is refused before
    // its token is looked up, so the console is no way around the API's lockout.
    const failures = this.moduleRef.get(AuthFailureLimiter, { strict: false });
    const locked = failures.lockedFor(req.ip);
    if (locked > 0) {
      res.setHeader('Retry-After', String(locked));
      res.status(429).type('html').send(loginPage(this.loginCsrf(req, res), `Too many wrong tokens from your address; try again in ${locked} seconds.`));
      return;
    }
    const token = (text(form, 'token') ?? '').trim();
    const id = token && token.length <= 200 ? await this.sessions.open(token) : null;
    if (!id) {
      if (token) failures.record(req.ip, token);
      res.status(401).type('html').send(loginPage(this.loginCsrf(req, res), 'That token is unknown or has been revoked.'));
      return;
    }
    clearCookie(res, this.cookies.loginCsrf, this.cookies.secure);
    setCookie(res, this.cookies.session, id, this.cookies.secure);
    res.redirect(303, '/console');
  }

  @Post('logout')
  @SignedOutAllowed()
  async signOut(@Req() req: ConsoleRequest, @Body() form: Form, @Res() res: Response): Promise<void> {
    if (req.actor && !sameToken(text(form, '_csrf'), req.consoleCsrf ?? '')) throw new CsrfRefused();
    await this.sessions.end(readCookie(req, this.cookies.session));
    clearCookie(res, this.cookies.session, this.cookies.secure);
    res.redirect(303, '/console/login');
  }

  private loginCsrf(req: ConsoleRequest, res: Response): string {
    let value = readCookie(req, this.cookies.loginCsrf);
    if (!value) {
      value = randomBytes(32).toString('base64url');
      setCookie(res, this.cookies.loginCsrf, value, this.cookies.secure);
    }
    return value;
  }

  // ---- pages ----

  @Get()
  async overview(@Req() req: ConsoleRequest): Promise<string> {
    const [overview, alerts] = await Promise.all([
      this.queries.overview(req.actor!),
      this.watch.events({ page: 1, limit: 10, skip: 0 }, req.actor!),
    ]);
    return overviewPage({ ...overview, registryAlerts: alerts.items.filter((e) => e.kind !== 'expiry_reminder') }, req.actor!, req.consoleCsrf!);
  }

  @Get('domains')
  async domainList(@Req() req: ConsoleRequest, @Query() query: Form): Promise<string> {
    const actor = req.actor!;
    const q = one(query.q);
    const clientId = actor.role === 'client' ? undefined : one(query.clientId);
    const registrar = one(query.registrar);
    const expiresBefore = one(query.expiresBefore);
    const state = one(query.state);
    const noticeSeen = one(query.noticeSeen) === 'false' ? 'false' : undefined;
    if (expiresBefore && !DATE.test(expiresBefore)) throw InvalidError.field('expiresBefore', 'give a date as YYYY-MM-DD');
    if (state && !(DOMAIN_STATES as readonly string[]).includes(state)) throw InvalidError.field('state', `one of ${DOMAIN_STATES.join(', ')}`);
    const filters: DomainFilters = {
      q: q?.slice(0, 253),
      clientId,
      registrar: registrar?.slice(0, 200),
      expiresBefore: expiresBefore ? new Date(`${expiresBefore}T00:00:00Z`) : undefined,
      state,
      neverNoticed: noticeSeen === 'false',
      after: this.readAfter(one(query.after)),
    };
    const [result, clients, registrars] = await Promise.all([
      this.queries.domains(filters, actor),
      actor.role === 'client' ? Promise.resolve([]) : this.clientChoices(actor),
      this.queries.registrarNames(),
    ]);
    const shown = { q, clientId, registrar, expiresBefore, state, noticeSeen };
    const nextHref = result.next
      ? `/console/domains?${new URLSearchParams({
          ...Object.fromEntries(Object.entries(shown).filter(([, v]) => v)),
          after: `${result.next.expiresAt ? new Date(result.next.expiresAt).toISOString() : 'none'}~${result.next.name}`,
        } as Record<string, string>).toString()}`
      : null;
    return domainsPage({ rows: result.rows, total: result.total, nextHref, filters: shown, clients, registrars }, actor, req.consoleCsrf!);
  }

  /** `after` is `<expiresAt ISO or none>~<ascii name>`, the sort key of the previous page's last row. */
  private readAfter(value: string | undefined): DomainFilters['after'] {
    if (!value) return undefined;
    const at = value.lastIndexOf('~');
    if (at < 1) throw InvalidError.field('after', 'not a page position');
    const when = value.slice(0, at);
    const name = value.slice(at + 1);
    const expiresAt = when === 'none' ? null : new Date(when);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw InvalidError.field('after', 'not a page position');
    return { expiresAt, name };
  }

  @Get('domains/:name')
  async domain(@Req() req: ConsoleRequest, @Param('name') name: string, @Query('saved') saved?: string): Promise<string> {
    return this.renderDomain(req.actor!, req.consoleCsrf!, name, { saved: saved === '1' });
  }

  @Post('domains/:name')
  async editDomain(@Req() req: ConsoleRequest, @Param('name') name: string, @Body() form: Form, @Res() res: Response): Promise<void> {
    const actor = req.actor!;
    const autoRenew = text(form, 'autoRenew');
    const blankToNull = (key: string) => {
      const v = text(form, key);
      return v === undefined ? undefined : v.trim() === '' ? null : v.trim();
    };
    const input: Form = {
      clientId: one(form.clientId),
      registrar: blankToNull('registrar'),
      registeredAt: blankToNull('registeredAt'),
      expiresAt: blankToNull('expiresAt'),
      state: one(form.state),
      statuses: text(form, 'statuses') === undefined ? undefined : lines(text(form, 'statuses')),
      nameservers: text(form, 'nameservers') === undefined ? undefined : lines(text(form, 'nameservers')),
      autoRenew: autoRenew === undefined ? undefined : autoRenew === 'true' ? true : autoRenew === 'false' ? false : null,
      notes: blankToNull('notes'),
    };
    for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
    try {
      const dto = (await validationPipe().transform(input, { type: 'body', metatype: UpdateDomainDto })) as UpdateDomainDto;
      const saved = await this.domains.update(name, dto, actor);
      res.redirect(303, `/console/domains/${encodeURIComponent(saved.name)}?saved=1`);
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err;
      res.status(400).type('html').send(await this.renderDomain(actor, req.consoleCsrf!, name, { error: err.message }));
    }
  }

  private async renderDomain(actor: Actor, csrf: string, name: string, extra: { saved?: boolean; error?: string }): Promise<string> {
    const domain = await this.domains.get(name, actor);
    const [client, recent, clients, events] = await Promise.all([
      this.clients.detail(domain.clientId, actor).catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e))) as Promise<ClientDetailDto | null>,
      this.messages.list(Object.assign(new MessageQuery(), { domain: domain.name, limit: 20 }), actor),
      actor.role === 'client' ? Promise.resolve([]) : this.clientChoices(actor),
      this.watch.events({ domain: domain.name, page: 1, limit: 10, skip: 0 }, actor),
    ]);
    // Each message with its deliveries, through the same service (and visibility rule) as the API.
    const messages = await Promise.all(recent.items.map((m) => this.messages.show(m.id, actor)));
    return domainPage({ domain, client, messages, clients, events: events.items, ...extra }, actor, csrf);
  }

  @Get('clients')
  async clientList(@Req() req: ConsoleRequest, @Query() query: Form): Promise<string> {
    const q = one(query.q)?.slice(0, 200);
    const pageNo = Math.max(1, Math.min(10_000, Number(one(query.page) ?? 1) || 1));
    const result = await this.clients.list(Object.assign(new ClientQuery(), { q, page: pageNo, limit: 50 }), req.actor!);
    return clientsPage({ ...result, q }, req.actor!, req.consoleCsrf!);
  }

  @Get('clients/:id')
  async client(@Req() req: ConsoleRequest, @Param('id') id: string, @Query() query: Form): Promise<string> {
    const queued = one(query.queued);
    const done =
      queued !== undefined
        ? `Welcome letter queued for ${Number(queued) || 0} contact(s); ${Number(one(query.skipped)) || 0} already welcomed and skipped.`
        : one(query.saved) === '1'
          ? 'Saved. The change is in the audit log.'
          : undefined;
    return clientPage(await this.clients.detail(id, req.actor!), req.actor!, req.consoleCsrf!, done);
  }

  @Post('clients')
  async createClient(@Req() req: ConsoleRequest, @Body() form: Form, @Res() res: Response): Promise<void> {
    const actor = req.actor!;
    const values = { name: text(form, 'name'), notes: text(form, 'notes'), contactName: text(form, 'contactName'), contactEmail: text(form, 'contactEmail') };
    const input = { name: values.name ?? '', notes: one(values.notes) ?? null, contacts: [{ name: values.contactName ?? '', email: (values.contactEmail ?? '').trim() }] };
    try {
      const dto = (await validationPipe().transform(input, { type: 'body', metatype: CreateClientDto })) as CreateClientDto;
      const made = await this.clients.create(dto, actor);
      res.redirect(303, `/console/clients/${made.id}?saved=1`);
    } catch (err) {
      if (!(err instanceof AsterError) || err instanceof ForbiddenError) throw err;
      const list = await this.clients.list(Object.assign(new ClientQuery(), { page: 1, limit: 50 }), actor);
      res.status(HTTP_STATUS[err.code]).type('html').send(clientsPage({ ...list, error: err.message, values }, actor, req.consoleCsrf!));
    }
  }

  @Post('clients/:id')
  async editClient(@Req() req: ConsoleRequest, @Param('id') id: string, @Body() form: Form, @Res() res: Response): Promise<void> {
    const input: Form = { name: text(form, 'name'), notes: text(form, 'notes') };
    for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
    await this.clientChange(req, res, id, async () => {
      const dto = (await validationPipe().transform(input, { type: 'body', metatype: UpdateClientDto })) as UpdateClientDto;
      await this.clients.update(id, dto, req.actor!);
    });
  }

  @Post('clients/:id/contacts')
  async addContact(@Req() req: ConsoleRequest, @Param('id') id: string, @Body() form: Form, @Res() res: Response): Promise<void> {
    const input = { name: text(form, 'name') ?? '', email: (text(form, 'email') ?? '').trim(), receivesNotices: text(form, 'receivesNotices') === 'true' };
    await this.clientChange(req, res, id, async () => {
      const dto = (await validationPipe().transform(input, { type: 'body', metatype: CreateContactDto })) as CreateContactDto;
      await this.contacts.add(id, dto, req.actor!);
    });
  }

  /** A change to a client: done → its page (303); refused by the service → the page with the reason. */
  private async clientChange(req: ConsoleRequest, res: Response, id: string, change: () => Promise<void>): Promise<void> {
    const client = await this.clients.findVisible(id, req.actor!);
    try {
      await change();
      res.redirect(303, `/console/clients/${client.id}?saved=1`);
    } catch (err) {
      if (!(err instanceof AsterError) || err instanceof NotFoundError || err instanceof ForbiddenError) throw err;
      res.status(HTTP_STATUS[err.code]).type('html').send(clientPage(await this.clients.detail(client.id, req.actor!), req.actor!, req.consoleCsrf!, undefined, err.message));
    }
  }

  @Post('clients/:id/welcome')
  async sendWelcome(@Req() req: ConsoleRequest, @Param('id') id: string, @Body() form: Form, @Res() res: Response): Promise<void> {
    const client = await this.clients.findVisible(id, req.actor!);
    const result = await this.welcome.send(client.id, text(form, 'force') === 'true', req.actor!);
    res.redirect(303, `/console/clients/${client.id}?queued=${result.queued.length}&skipped=${result.skipped.length}`);
  }

  // ---- audit log (staff and admin) and tokens (admin) ----

  @Get('audit')
  async auditLog(@Req() req: ConsoleRequest, @Query() query: Form): Promise<string> {
    const actor = req.actor!;
    if (actor.role === 'client') throw new ForbiddenError('A client token may not read the audit log');
    const entityType = one(query.entityType)?.slice(0, 64);
    const pageNo = Math.max(1, Math.min(10_000, Number(one(query.page) ?? 1) || 1));
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
      res.status(201).type('html').send(await this.renderTokens(actor, req.consoleCsrf!, { created: { token: made.token, role: made.role, name: made.name } }));
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err;
      res.status(400).type('html').send(await this.renderTokens(actor, req.consoleCsrf!, { error: err.message }));
    }
  }

  @Post('tokens/:id/revoke')
  async revokeToken(@Req() req: ConsoleRequest, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const actor = this.admin(req.actor!);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new NotFoundError('Token', id);
    await this.tokens.revoke(id, actor);
    res.redirect(303, '/console/tokens/revoked');
  }

  private admin(actor: Actor): Actor {
    if (actor.role !== 'admin') throw new ForbiddenError(`A ${actor.role} token may not manage tokens`);
    return actor;
  }

  private async renderTokens(actor: Actor, csrf: string, extra: { created?: { token: string; role: string; name: string | null }; error?: string; revoked?: boolean }): Promise<string> {
    this.admin(actor);
    const [tokens, clients] = await Promise.all([this.tokens.list(), this.clientChoices(actor)]);
    return tokensPage({ tokens, clients, ...extra }, actor, csrf);
  }

  @Get('messages')
  async messageList(@Req() req: ConsoleRequest, @Query() query: Form): Promise<string> {
    const status = one(query.status);
    const holdReason = one(query.holdReason);
    const domain = one(query.domain)?.slice(0, 253);
    const clientId = one(query.clientId);
    if (status && !(MESSAGE_STATUSES as readonly string[]).includes(status)) throw InvalidError.field('status', `one of ${MESSAGE_STATUSES.join(', ')}`);
    if (holdReason && !(HOLD_REASONS as readonly string[]).includes(holdReason)) throw InvalidError.field('holdReason', `one of ${HOLD_REASONS.join(', ')}`);
    if (clientId && !/^[0-9a-f-]{36}$/i.test(clientId)) throw InvalidError.field('clientId', 'a client id');
    const pageNo = Math.max(1, Math.min(10_000, Number(one(query.page) ?? 1) || 1));
    const q = Object.assign(new MessageQuery(), { status, holdReason, domain, clientId, page: pageNo, limit: 50 });
    const result = await this.messages.list(q, req.actor!);
    return messagesPage(
      { items: result.items, total: result.total, capped: result.totalCapped === true, page: result.page, limit: result.limit, filters: { status, holdReason, domain } },
      req.actor!,
      req.consoleCsrf!,
    );
  }

  @Get('messages/:id')
  async message(@Req() req: ConsoleRequest, @Param('id') id: string, @Query('done') done?: string): Promise<string> {
    const note = done === 'released' ? 'Released: the letters are queued.' : done === 'discarded' ? 'Discarded.' : undefined;
    return this.renderMessage(req.actor!, req.consoleCsrf!, id, { done: note });
  }

  @Get('messages/:id/raw')
  async raw(@Req() req: ConsoleRequest, @Param('id') id: string, @Res() res: Response): Promise<void> {
    this.requireId(id);
    const raw = await this.messages.raw(id, req.actor!);
    res.setHeader('Content-Disposition', `attachment; filename="message-${id}.eml"`);
    res.type('application/octet-stream').send(raw);
  }

  @Post('messages/:id/release')
  async release(@Req() req: ConsoleRequest, @Param('id') id: string, @Body() form: Form, @Res() res: Response): Promise<void> {
    this.requireId(id);
    const chosen = list(form.clientIds);
    if (chosen.some((c) => !/^[0-9a-f-]{36}$/i.test(c))) throw InvalidError.field('clientIds', 'each must be a client id');
    await this.act(req, res, id, 'released', () => this.messages.release(id, chosen.length ? chosen : undefined, req.actor!));
  }

  @Post('messages/:id/discard')
  async discard(@Req() req: ConsoleRequest, @Param('id') id: string, @Res() res: Response): Promise<void> {
    this.requireId(id);
    await this.act(req, res, id, 'discarded', () => this.messages.discard(id, req.actor!));
  }

  /** A decision on a message: done → back to its page (303); refused by the service → the page with the reason. */
  private async act(req: ConsoleRequest, res: Response, id: string, done: string, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
      res.redirect(303, `/console/messages/${id}?done=${done}`);
    } catch (err) {
      if (!(err instanceof AsterError) || err instanceof NotFoundError || err instanceof ForbiddenError) throw err;
      res.status(HTTP_STATUS[err.code]).type('html').send(await this.renderMessage(req.actor!, req.consoleCsrf!, id, { error: err.message }));
    }
  }

  private async renderMessage(actor: Actor, csrf: string, id: string, extra: { done?: string; error?: string }): Promise<string> {
    this.requireId(id);
    const message = (await this.messages.show(id, actor)) as unknown as MessageView;
    const [original, clients] = await Promise.all([this.originalText(id, actor), actor.role === 'client' ? Promise.resolve([]) : this.clientChoices(actor)]);
    const view: MessagePageView = { message, text: original, clients, ...extra };
    return messagePage(view, actor, csrf);
  }

  /** The original's text part (or its HTML turned into text by mailparser), never its markup. */
  private async originalText(id: string, actor: Actor): Promise<MessagePageView['text']> {
    let raw: Buffer;
    try {
      raw = await this.messages.raw(id, actor);
    } catch (err) {
      if (err instanceof NotFoundError) return { ok: false, why: 'The original names other clients or was not forwarded whole to you, so it is not shown.' };
      throw err;
    }
    try {
      const parsed = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true });
      const body = parsed.text ?? '';
      return { ok: true, value: body.slice(0, TEXT_LIMIT), truncated: body.length > TEXT_LIMIT };
    } catch {
      return { ok: false, why: 'The message could not be parsed; download the raw message to read it.' };
    }
  }

  private async clientChoices(actor: Actor): Promise<{ id: string; name: string }[]> {
    const result = await this.clients.list(Object.assign(new ClientQuery(), { page: 1, limit: 200 }), actor);
    return result.items.map((c) => ({ id: c.id, name: c.name }));
  }

  private requireId(id: string): void {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new NotFoundError('Message', id);
  }

  // Last: routes are matched in the order they are declared.
  /** Any other address under /console: a page saying so (the API's JSON 404 is for programs). */
  @Get('*rest')
  notFound(): never {
    throw new NotFoundError('Page', 'under /console');
  }
}
