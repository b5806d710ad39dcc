// The overview and the domain pages: the table by expiry, a domain, and its edit form.
import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { ClientsService } from '../clients/clients.service';
import type { ClientDetailDto } from '../clients/dto/client-views';
import { InvalidError, NotFoundError } from '../common/errors';
import { validationPipe } from '../common/validation';
import { DOMAIN_STATES } from '../domains/domain.entity';
import { DomainsService } from '../domains/domains.service';
import { UpdateDomainDto } from '../domains/dto/update-domain.dto';
import { MessageQuery } from '../mail/messages/dto/message-query.dto';
import { MessagesService } from '../mail/messages/messages.service';
import { RegistryWatch } from '../watch/registry-watch.service';
import type { ConsoleRequest } from './console-http';
import { clientChoices, ConsolePages, lines, one, text, type Form } from './console-pages';
import { ConsoleQueries, type DomainFilters } from './console-queries';
import { domainPage, domainsPage } from './views/domains.view';
import { overviewPage } from './views/overview.view';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

@ConsolePages()
export class ConsoleDomainsController {
  constructor(
    private readonly queries: ConsoleQueries,
    private readonly domains: DomainsService,
    private readonly clients: ClientsService,
    private readonly watch: RegistryWatch,
    private readonly messages: MessagesService,
  ) {}

  @Get()
  async overview(@Req() req: ConsoleRequest): Promise<string> {
    const [overview, alerts] = await Promise.all([this.queries.overview(req.actor!), this.watch.events({ page: 1, limit: 10, skip: 0 }, req.actor!)]);
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
      actor.role === 'client' ? Promise.resolve([]) : clientChoices(this.clients, actor),
      this.queries.registrarNames(),
    ]);
    const shown = { q, clientId, registrar, expiresBefore, state, noticeSeen };
    const nextHref = result.next
      ? `/console/domains?${new URLSearchParams({
          ...Object.fromEntries(Object.entries(shown).filter(([, v]) => v)),
          after: `${result.next.expiresAt ? new Date(result.next.expiresAt).toISOString() : 'none'}~${result.next.name}`,
        }).toString()}`
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
      lastTransferredAt: blankToNull('lastTransferredAt'),
      registrantChangedAt: blankToNull('registrantChangedAt'),
      registrantChangeOptOut: text(form, 'registrantChangeOptOut') === undefined ? undefined : text(form, 'registrantChangeOptOut') === 'true',
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
      res
        .status(400)
        .type('html')
        .send(await this.renderDomain(actor, req.consoleCsrf!, name, { error: err.message }));
    }
  }

  private async renderDomain(actor: Actor, csrf: string, name: string, extra: { saved?: boolean; error?: string }): Promise<string> {
    const domain = await this.domains.get(name, actor);
    const [client, recent, clients, events] = await Promise.all([
      // The client of a visible domain is visible; a race with its deletion shows the domain without it.
      this.clients.detail(domain.clientId, actor).then(
        (c): ClientDetailDto | null => c,
        (e: unknown) => {
          if (e instanceof NotFoundError) return null;
          throw e;
        },
      ),
      this.messages.list(Object.assign(new MessageQuery(), { domain: domain.name, limit: 20 }), actor),
      actor.role === 'client' ? Promise.resolve([]) : clientChoices(this.clients, actor),
      this.watch.events({ domain: domain.name, page: 1, limit: 10, skip: 0 }, actor),
    ]);
    // Each message with its deliveries, through the same service (and visibility rule) as the API.
    const messages = await Promise.all(recent.items.map((m) => this.messages.show(m.id, actor)));
    return domainPage({ domain, client, messages, clients, events: events.items, ...extra }, actor, csrf);
  }
}
