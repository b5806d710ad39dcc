// Gathers what a letter needs (the original message, the client's domains, the contact) and has
// the notices module compose it. Reads only; the worker sends and records.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource, In, LessThan, MoreThan } from 'typeorm';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { ClientsService } from '../../clients/clients.service';
import { guidanceUrl, noticeAddress } from '../../domains/domain-addresses';
import { DomainsService } from '../../domains/domains.service';
import type { Domain } from '../../domains/domain.entity';
import { disagreements, type ClaimCheck } from '../intake/claims';
import { KIND_CONFIDENCE_THRESHOLD, type NoticeKind } from '../intake/classify';
import { InboundMessage, type Suspicion } from '../intake/inbound-message.entity';
import { readMessage } from '../intake/parse';
import { parsedOriginals } from '../intake/parsed-cache';
import { RAW_SLICE_BYTES, readRawSlices } from '../intake/raw-reader';
import { composeDigest, composeForward, composeForwardStream, composeWelcome, type NoticeDomain, type NoticeSettings } from '../notices/compose';
import { composeRegistryLetter } from '../notices/registry-alert.letter';
import { composeStaffAlert } from '../notices/staff-alert.letter';
import { loadWatchLetter } from '../../watch/watch-letters';
import { Delivery } from './delivery.entity';

export class LetterUnavailableError extends Error {}

/** What a notice needs of its delivery's records (Letters.loadNotices; a column is NULL when its row is missing). */
export interface NoticeRow {
  messageFound: boolean;
  kind: NoticeKind | null;
  subject: string | null;
  fromHeader: string | null;
  authResults: object | null;
  /** Every tracked domain the message names (those of other clients too). */
  messageDomains: string[];
  kindConfidence: number | null;
  suspicious: Suspicion | null;
  /** The message's claims against the registry. */
  checks: ClaimCheck[] | null;
  rawSize: number | null;
  /** The raw bytes when they fit in one slice (RAW_SLICE_BYTES), else NULL: read with readRaw. */
  raw: Buffer | null;
  clientId: string | null;
  clientName: string | null;
  contactName: string | null;
  /** The delivery's domains (JSON: dates as ISO strings), by name. */
  domains: { name: string; unicodeName: string; registeredAt: string | null; expiresAt: string | null; guidanceToken: string; registrar: string | null }[];
}

@Injectable()
export class Letters {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly clients: ClientsService,
    private readonly domains: DomainsService,
  ) {}

  guidanceUrl(domain: Pick<Domain, 'guidanceToken'>): string {
    return guidanceUrl(this.config.publicUrl, domain.guidanceToken);
  }

  private get settings(): NoticeSettings {
    return { noticeFrom: this.config.noticeFrom, staffEmail: this.config.staffEmail, publicUrl: this.config.publicUrl, mailDomain: this.config.mailDomain };
  }

  /** The letter of a delivery: a Buffer, or for a forward (which carries the original) a stream to read once. */
  async compose(d: Delivery, notice?: NoticeRow): Promise<Buffer | Readable> {
    switch (d.form) {
      case 'forward':
      case 'digest':
        return this.notice(d, notice);
      case 'welcome':
        return this.welcome(d);
      case 'staff_alert':
        return this.staffAlert(d);
      case 'registry_alert':
      case 'expiry_reminder':
        return this.watchLetter(d);
    }
  }

  /** A registry watch letter: the alarm or reminder of the watch events that name this delivery. */
  private async watchLetter(d: Delivery): Promise<Buffer> {
    const input = await loadWatchLetter(this.db, d, (guidanceToken) => this.guidanceUrl({ guidanceToken }));
    if (!input) throw new LetterUnavailableError('the registry watch events of this letter are gone');
    return composeRegistryLetter(this.settings, input);
  }

  /** Contact name and client of a delivery, in one query (ClientsService.addressee). */
  private async recipient(d: Delivery): Promise<{ to: { name: string; email: string }; client: { id: string; name: string } }> {
    const { client, contactName } = await this.clients.addressee(d.clientId, d.contactId);
    if (!client) throw new LetterUnavailableError('the client of this delivery no longer exists');
    return { to: { name: contactName ?? '', email: d.email }, client };
  }

  /** All of a client's domains, by name, with their registrar's name (the welcome letter). */
  private async noticeDomains(clientId: string): Promise<NoticeDomain[]> {
    const rows = await this.domains.ofClientWithRegistrar(clientId);
    return rows.map((domain) => ({
      name: domain.name,
      unicodeName: domain.unicodeName,
      registrar: domain.registrar,
      registeredAt: domain.registeredAt,
      expiresAt: domain.expiresAt,
      guidanceUrl: this.guidanceUrl(domain),
    }));
  }

  /**
   * What the notices (forwards and digests) of these deliveries need, for all of them in one query:
   * the message, the client, the contact, the raw bytes when they fit in one slice, and the
   * delivery's domains with their registrars. A delivery that no longer exists is left out.
   */
  async loadNotices(deliveryIds: string[]): Promise<Map<string, NoticeRow>> {
    if (deliveryIds.length === 0) return new Map();
    const rows = await this.db.query<(NoticeRow & { deliveryId: string })[]>(
      `SELECT d.id AS "deliveryId", m.id IS NOT NULL AS "messageFound", m.kind, m.subject, m."fromHeader", m."authResults",
              coalesce(m.domains, '{}') AS "messageDomains", m."kindConfidence", m.suspicious, m.checks,
              octet_length(r.raw) AS "rawSize", CASE WHEN octet_length(r.raw) <= ${RAW_SLICE_BYTES} THEN r.raw END AS raw,
              c.id AS "clientId", c.name AS "clientName", ct.name AS "contactName",
              (SELECT coalesce(json_agg(json_build_object('name', dm.name, 'unicodeName', dm."unicodeName", 'registeredAt', dm."registeredAt",
                                                          'expiresAt', dm."expiresAt", 'guidanceToken', dm."guidanceToken", 'registrar', rg.name)
                                        ORDER BY dm.name), '[]'::json)
                 FROM domain dm LEFT JOIN registrar rg ON rg.id = dm."registrarId"
                WHERE dm.name = ANY(d.domains)) AS domains
         FROM delivery d
         LEFT JOIN inbound_message m ON m.id = d."inboundMessageId"
         LEFT JOIN raw_message r ON r."messageId" = m.id
         LEFT JOIN client c ON c.id = d."clientId"
         LEFT JOIN contact ct ON ct.id = d."contactId"
        WHERE d.id = ANY($1::uuid[])`,
      [deliveryIds],
    );
    return new Map(rows.map((row) => [row.deliveryId, row]));
  }

  /**
   * A forward or a digest, from what loadNotices read (read here when not given); larger raw bytes
   * in 1 MB slices (raw-reader.ts); the original is parsed once, streaming, for what the letter
   * shows of it. A forward of a large original comes back as a stream: the original is encoded into
   * it as the relay reads it.
   */
  private async notice(d: Delivery, loaded?: NoticeRow): Promise<Buffer | Readable> {
    const row = loaded ?? (await this.loadNotices([d.id])).get(d.id);
    if (!row) throw new LetterUnavailableError('the delivery is gone');
    if (!row.messageFound || row.rawSize === null) throw new LetterUnavailableError('the original message is gone');
    if (!row.clientId) throw new LetterUnavailableError('the client of this delivery no longer exists');
    const domains: NoticeDomain[] = row.domains.map((x) => ({
      name: x.name,
      unicodeName: x.unicodeName,
      registrar: x.registrar,
      registeredAt: x.registeredAt === null ? null : new Date(x.registeredAt),
      expiresAt: x.expiresAt === null ? null : new Date(x.expiresAt),
      guidanceUrl: this.guidanceUrl(x),
    }));
    const raw = row.raw ?? (await readRawSlices(this.db, d.inboundMessageId!, row.rawSize));
    if (!raw) throw new LetterUnavailableError('the original message is gone');
    // What routing read of it, when this process routed it; else parse it again.
    const parsed = parsedOriginals.get(d.inboundMessageId!) ?? (await readMessage(raw, { scan: false }));
    // Any copy of mail that failed verification carries the warning: forwarded under `flag`, or
    // released by staff after `enforce` held it.
    const unverifiedSender = (row.authResults as { verified?: boolean } | null)?.verified === false;
    const original = {
      subject: parsed.subject || (row.subject ?? ''),
      from: parsed.from ?? row.fromHeader,
      // In-Reply-To and References of the letter: the original's Message-ID in angle brackets.
      messageId: parsed.messageId ? `<${parsed.messageId}>` : null,
      date: parsed.date,
      text: parsed.text,
    };
    const to = { name: row.contactName ?? '', email: d.email };
    // How the message was read: a scam leads with its warning; an unsure reading explains no kind.
    const reading = {
      suspicious: row.suspicious?.reasons ?? null,
      uncertain: row.kindConfidence !== null && row.kindConfidence < KIND_CONFIDENCE_THRESHOLD,
      registrySays: disagreements(
        row.checks ?? [],
        domains.map((x) => x.name),
      ),
    };
    const common = { deliveryId: d.id, to, clientName: row.clientName!, kind: row.kind ?? 'other', reading, domains, unverifiedSender };
    if (d.form === 'digest') return composeDigest(this.settings, { ...common, original: { ...original, domains: row.messageDomains } });
    // A large original is encoded into the letter as the relay reads it; a small letter is built
    // whole, so that it leaves in one socket write instead of one per MIME part (docs/benchmarks.md).
    return raw.length > RAW_SLICE_BYTES
      ? composeForwardStream(this.settings, { ...common, original: { ...original, raw } })
      : composeForward(this.settings, { ...common, original: { ...original, raw } });
  }

  private async welcome(d: Delivery): Promise<Buffer> {
    const { to, client } = await this.recipient(d);
    const noticeDomains = await this.noticeDomains(client.id);
    return composeWelcome(this.settings, {
      letterId: d.id,
      to,
      clientName: client.name,
      domains: noticeDomains.map((x) => ({ ...x, noticeAddress: noticeAddress(x.name, this.config.mailDomain) })),
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
