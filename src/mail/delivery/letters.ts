// Gathers what a letter needs (the original message, the client's domains, the contact) and has
// the notices module compose it. Reads only; the worker sends and records.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { simpleParser } from 'mailparser';
import { DataSource, In, LessThan, MoreThan } from 'typeorm';
import { Client } from '../../clients/client.entity';
import { Contact } from '../../clients/contact.entity';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { Domain } from '../../domains/domain.entity';
import { InboundMessage } from '../intake/inbound-message.entity';
import { RawMessage } from '../intake/raw-message.entity';
import { composeDigest, composeForward, composeWelcome, type NoticeDomain, type NoticeSettings } from '../notices/compose';
import { composeStaffAlert } from '../notices/staff-alert.letter';
import { Delivery } from './delivery.entity';

export class LetterUnavailableError extends Error {}

@Injectable()
export class Letters {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  /** The per-delivery envelope sender, which the SMTP listener accepts for bounces. */
  bounceAddress(deliveryId: string): string {
    return `bounces+${deliveryId}@${this.config.mailDomain}`;
  }

  guidanceUrl(domain: Pick<Domain, 'guidanceToken'>): string {
    return `${this.config.publicUrl}/guide/domain/${domain.guidanceToken}`;
  }

  private get settings(): NoticeSettings {
    return { noticeFrom: this.config.noticeFrom, staffEmail: this.config.staffEmail, publicUrl: this.config.publicUrl, mailDomain: this.config.mailDomain };
  }

  async compose(d: Delivery): Promise<Buffer> {
    switch (d.form) {
      case 'forward':
      case 'digest':
        return this.notice(d);
      case 'welcome':
        return this.welcome(d);
      case 'staff_alert':
        return this.staffAlert(d);
    }
  }

  private async recipient(d: Delivery): Promise<{ to: { name: string; email: string }; client: Client }> {
    const contact = d.contactId ? await this.db.getRepository(Contact).findOneBy({ id: d.contactId }) : null;
    const client = d.clientId ? await this.db.getRepository(Client).findOneBy({ id: d.clientId }) : null;
    if (!client) throw new LetterUnavailableError('the client of this delivery no longer exists');
    return { to: { name: contact?.name ?? '', email: d.email }, client };
  }

  private async noticeDomains(names: string[]): Promise<NoticeDomain[]> {
    const domains = await this.db.getRepository(Domain).find({ where: { name: In(names) }, relations: { registrar: true }, order: { name: 'ASC' } });
    return domains.map((domain) => ({
      name: domain.name,
      unicodeName: domain.unicodeName,
      registrar: domain.registrar?.name ?? null,
      registeredAt: domain.registeredAt,
      expiresAt: domain.expiresAt,
      guidanceUrl: this.guidanceUrl(domain),
    }));
  }

  private async notice(d: Delivery): Promise<Buffer> {
    const message = await this.db.getRepository(InboundMessage).findOneBy({ id: d.inboundMessageId! });
    const raw = await this.db.getRepository(RawMessage).findOneBy({ messageId: d.inboundMessageId! });
    if (!message || !raw) throw new LetterUnavailableError('the original message is gone');
    const { to, client } = await this.recipient(d);
    const domains = await this.noticeDomains(d.domains);
    const parsed = await simpleParser(raw.raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true });
    // Any copy of mail that failed verification carries the warning: forwarded under `flag`, or
    // released by staff after `enforce` held it.
    const unverifiedSender = (message.authResults as { verified?: boolean } | null)?.verified === false;
    const original = {
      subject: parsed.subject ?? message.subject ?? '',
      from: parsed.from?.text ?? message.fromHeader,
      messageId: parsed.messageId ?? null,
      date: parsed.date ?? null,
      text: parsed.text ?? '',
    };
    const common = { deliveryId: d.id, to, clientName: client.name, kind: message.kind ?? 'other', domains, unverifiedSender };
    return d.form === 'forward'
      ? composeForward(this.settings, { ...common, original: { ...original, raw: raw.raw } })
      : composeDigest(this.settings, { ...common, original });
  }

  private async welcome(d: Delivery): Promise<Buffer> {
    const { to, client } = await this.recipient(d);
    const domains = await this.db.getRepository(Domain).find({ where: { clientId: client.id }, order: { name: 'ASC' } });
    const noticeDomains = await this.noticeDomains(domains.map((x) => x.name));
    return composeWelcome(this.settings, {
      letterId: d.id,
      to,
      clientName: client.name,
      domains: noticeDomains.map((x) => ({ ...x, noticeAddress: `${x.name}@${this.config.mailDomain}` })),
      guidanceIndexUrl: `${this.config.publicUrl}/guide`,
    });
  }

  /** What staff need to look at since the previous alert: held messages and failed deliveries. */
  private async staffAlert(d: Delivery): Promise<Buffer> {
    // The window starts where the alert before this one was queued.
    const [previous] = await this.db.getRepository(Delivery).find({
      where: { form: 'staff_alert', createdAt: LessThan(d.createdAt) },
      order: { createdAt: 'DESC' },
      take: 1,
    });
    const since = previous?.createdAt ?? new Date(0);
    const held = await this.db.getRepository(InboundMessage).find({
      where: { status: 'held', decidedAt: MoreThan(since) },
      order: { receivedAt: 'ASC' },
      take: 200,
    });
    const failed = await this.db.getRepository(Delivery).find({
      where: { status: 'failed', updatedAt: MoreThan(since), form: In(['forward', 'digest', 'welcome']) },
      order: { updatedAt: 'ASC' },
      take: 200,
    });
    return composeStaffAlert(this.settings, {
      alertId: d.id,
      to: d.email,
      apiBase: `${this.config.publicUrl}/api`,
      held: held.map((m) => ({ id: m.id, subject: m.subject, from: m.fromHeader, holdReason: m.holdReason ?? 'unknown', receivedAt: m.receivedAt })),
      failed: failed.map((x) => ({ id: x.id, email: x.email, messageId: x.inboundMessageId, lastResponse: x.lastResponse ?? '' })),
    });
  }
}
