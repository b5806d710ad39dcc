// Clients: the list with a form for a new one, a client's page, its edits, contacts and welcome letter.
import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ClientsService } from '../clients/clients.service';
import { ContactsService } from '../clients/contacts.service';
import { ClientQuery, CreateClientDto, UpdateClientDto } from '../clients/dto/client.dto';
import { CreateContactDto } from '../clients/dto/contact.dto';
import { AsterError, ForbiddenError, HTTP_STATUS, NotFoundError } from '../common/errors';
import { validationPipe } from '../common/validation';
import { WelcomeService } from '../mail/delivery/welcome';
import type { ConsoleRequest } from './console-http';
import { ConsolePages, one, pageNumber, text, type Form } from './console-pages';
import { clientPage, clientsPage } from './views/clients.view';

@ConsolePages()
export class ConsoleClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly contacts: ContactsService,
    private readonly welcome: WelcomeService,
  ) {}

  @Get('clients')
  async clientList(@Req() req: ConsoleRequest, @Query() query: Form): Promise<string> {
    const q = one(query.q)?.slice(0, 200);
    const pageNo = pageNumber(query.page);
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
    const input = {
      name: values.name ?? '',
      notes: one(values.notes) ?? null,
      contacts: [{ name: values.contactName ?? '', email: (values.contactEmail ?? '').trim() }],
    };
    try {
      const dto = (await validationPipe().transform(input, { type: 'body', metatype: CreateClientDto })) as CreateClientDto;
      const made = await this.clients.create(dto, actor);
      res.redirect(303, `/console/clients/${made.id}?saved=1`);
    } catch (err) {
      if (!(err instanceof AsterError) || err instanceof ForbiddenError) throw err;
      const list = await this.clients.list(Object.assign(new ClientQuery(), { page: 1, limit: 50 }), actor);
      res
        .status(HTTP_STATUS[err.code])
        .type('html')
        .send(clientsPage({ ...list, error: err.message, values }, actor, req.consoleCsrf!));
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
      res
        .status(HTTP_STATUS[err.code])
        .type('html')
        .send(clientPage(await this.clients.detail(client.id, req.actor!), req.actor!, req.consoleCsrf!, undefined, err.message));
    }
  }

  @Post('clients/:id/welcome')
  async sendWelcome(@Req() req: ConsoleRequest, @Param('id') id: string, @Body() form: Form, @Res() res: Response): Promise<void> {
    const client = await this.clients.findVisible(id, req.actor!);
    const result = await this.welcome.send(client.id, text(form, 'force') === 'true', req.actor!);
    res.redirect(303, `/console/clients/${client.id}?queued=${result.queued.length}&skipped=${result.skipped.length}`);
  }
}
