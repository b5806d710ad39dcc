// Messages: the list (the held queue with ?status=held), a message with its safe text view and raw
// download, and the release and discard forms, through MessagesService.
import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { simpleParser } from 'mailparser';
import type { Actor } from '../auth/actor';
import { ClientsService } from '../clients/clients.service';
import { AsterError, ForbiddenError, HTTP_STATUS, InvalidError, NotFoundError } from '../common/errors';
import { HOLD_REASONS, MESSAGE_STATUSES } from '../mail/intake/inbound-message.entity';
import { MessageQuery } from '../mail/messages/dto/message-query.dto';
import { MessagesService } from '../mail/messages/messages.service';
import type { ConsoleRequest } from './console-http';
import { clientChoices, ConsolePages, isUuid, list, one, pageNumber, requireUuid, type Form } from './console-pages';
import { messagePage, messagesPage, type MessagePageView, type MessageView } from './views/messages.view';

/** The most of an original's text the message page shows; the raw download has all of it. */
const TEXT_LIMIT = 200_000;

@ConsolePages()
export class ConsoleMessagesController {
  constructor(
    private readonly clients: ClientsService,
    private readonly messages: MessagesService,
  ) {}

  @Get('messages')
  async messageList(@Req() req: ConsoleRequest, @Query() query: Form): Promise<string> {
    const status = one(query.status);
    const holdReason = one(query.holdReason);
    const domain = one(query.domain)?.slice(0, 253);
    const clientId = one(query.clientId);
    const suspicious = one(query.suspicious) === 'true' ? 'true' : undefined;
    if (status && !(MESSAGE_STATUSES as readonly string[]).includes(status)) throw InvalidError.field('status', `one of ${MESSAGE_STATUSES.join(', ')}`);
    if (holdReason && !(HOLD_REASONS as readonly string[]).includes(holdReason)) throw InvalidError.field('holdReason', `one of ${HOLD_REASONS.join(', ')}`);
    if (clientId && !isUuid(clientId)) throw InvalidError.field('clientId', 'a client id');
    const pageNo = pageNumber(query.page);
    const q = Object.assign(new MessageQuery(), { status, holdReason, domain, clientId, suspicious: suspicious ? true : undefined, page: pageNo, limit: 50 });
    const result = await this.messages.list(q, req.actor!);
    return messagesPage(
      {
        items: result.items,
        total: result.total,
        capped: result.totalCapped === true,
        page: result.page,
        limit: result.limit,
        filters: { status, holdReason, domain, clientId, suspicious },
      },
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
    requireUuid('Message', id);
    const raw = await this.messages.raw(id, req.actor!);
    res.setHeader('Content-Disposition', `attachment; filename="message-${id}.eml"`);
    res.type('application/octet-stream').send(raw);
  }

  @Post('messages/:id/release')
  async release(@Req() req: ConsoleRequest, @Param('id') id: string, @Body() form: Form, @Res() res: Response): Promise<void> {
    requireUuid('Message', id);
    const chosen = list(form.clientIds);
    if (chosen.some((c) => !isUuid(c))) throw InvalidError.field('clientIds', 'each must be a client id');
    await this.act(req, res, id, 'released', () => this.messages.release(id, chosen.length ? chosen : undefined, req.actor!));
  }

  @Post('messages/:id/discard')
  async discard(@Req() req: ConsoleRequest, @Param('id') id: string, @Res() res: Response): Promise<void> {
    requireUuid('Message', id);
    await this.act(req, res, id, 'discarded', () => this.messages.discard(id, req.actor!));
  }

  /** A decision on a message: done → back to its page (303); refused by the service → the page with the reason. */
  private async act(req: ConsoleRequest, res: Response, id: string, done: string, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
      res.redirect(303, `/console/messages/${id}?done=${done}`);
    } catch (err) {
      if (!(err instanceof AsterError) || err instanceof NotFoundError || err instanceof ForbiddenError) throw err;
      res
        .status(HTTP_STATUS[err.code])
        .type('html')
        .send(await this.renderMessage(req.actor!, req.consoleCsrf!, id, { error: err.message }));
    }
  }

  private async renderMessage(actor: Actor, csrf: string, id: string, extra: { done?: string; error?: string }): Promise<string> {
    requireUuid('Message', id);
    const message = (await this.messages.show(id, actor)) as unknown as MessageView;
    const [original, clients] = await Promise.all([
      this.originalText(id, actor),
      actor.role === 'client' ? Promise.resolve([]) : clientChoices(this.clients, actor),
    ]);
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
}
