// The life of an inbound message after it is stored, stage by stage as DESIGN.md lists them:
// parse → verify → match → classify → decide. Runs as a durable job per message; the result is
// written once, in one transaction, so a crash anywhere simply runs the job again.
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { JobQueue } from '../../database/job-queue';
import { DomainsService } from '../../domains/domains.service';
import { RegistrarsService } from '../../registrars/registrars.service';
import { DELIVER_QUEUE } from '../delivery/queues';
import { MessagesService } from '../messages/messages.service';
import { bounceDeliveryId, readBounce } from './bounce';
import { classify } from './classify';
import { decide, type TrackedDomain } from './decide';
import { loopReason } from './loop';
import { aliasDomains, extractCandidates } from './match';
import { parse, type ParsedMessage } from './parse';
import { ROUTE_QUEUE } from './queues';
import { retryDelay, verify } from './verify';

/** Route job loops per process. */
const ROUTE_WORKERS = 3;

interface RouteJob {
  messageId: string;
  /** How many times sender verification has been put off for want of DNS (enforce mode). */
  verifyAttempt?: number;
}

@Injectable()
export class IntakePipeline implements OnApplicationBootstrap {
  private readonly logger = new Logger('Intake');

  constructor(
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly jobs: JobQueue,
    private readonly messages: MessagesService,
    private readonly domains: DomainsService,
    private readonly registrars: RegistrarsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.define(ROUTE_QUEUE);
    // Several loops, so that one message's parsing overlaps another's database round trips and the
    // two cores are used (docs/benchmarks.md); recordDecision decides each message once whichever runs it.
    await this.jobs.work<RouteJob>(ROUTE_QUEUE.name, ({ messageId, verifyAttempt }) => this.route(messageId, verifyAttempt), {
      batchSize: 8,
      workers: ROUTE_WORKERS,
    });
  }

  /** Wake the local worker: a message was just stored. */
  nudge(): void {
    this.jobs.nudge(ROUTE_QUEUE.name);
  }

  async route(id: string, verifyAttempt = 0): Promise<void> {
    const stored = await this.messages.loadForRouting(id);
    if (!stored) return; // already decided (a repeated job) or gone
    const { message, raw } = stored;
    // Staff may discard a message while its routing waits for DNS (verify.ts): it stays discarded.
    if (message.status === 'discarded') return;

    // A delivery status notification for one of our letters is not registrar mail.
    const bounced = message.envelopeTo.map((to) => bounceDeliveryId(to, this.config.mailDomain)).find(Boolean);
    if (bounced) {
      await this.messages.recordBounce(id, bounced, readBounce(raw));
      return;
    }

    const parsed = await parse(raw);
    if (!parsed.ok) {
      await this.messages.recordDecision(id, {
        subject: null,
        from: null,
        kind: null,
        matched: [],
        authResults: null,
        noticeFor: [],
        outcome: { decision: 'hold', holdReason: 'unparseable', reason: `Held: ${parsed.reason}.` },
      });
      return;
    }
    const mail = parsed.message;
    const verification = await verify(raw, message, this.config, this.registrars);
    const retryIn = retryDelay(verification, verifyAttempt);
    if (retryIn !== undefined) {
      // enforce, and DNS left the check open: route it again later rather than hold it (verify.ts).
      await this.jobs.send(ROUTE_QUEUE.name, { messageId: id, verifyAttempt: verifyAttempt + 1 } satisfies RouteJob, { startAfter: retryIn });
      this.logger.warn(`${id}: ${verification.results?.reason} Routing again in ${retryIn} s.`);
      return;
    }
    const matched = await this.match(message.envelopeTo, mail);
    const { kind } = classify(mail.subject, mail.text);
    const loop = loopReason(mail.headers);
    const outcome = decide({
      loop,
      domains: matched,
      senderAccepted: verification.mode !== 'enforce' || verification.verified === true,
    });
    await this.messages.recordDecision(id, {
      subject: mail.subject || null,
      from: mail.from,
      kind,
      matched,
      authResults: verification.results,
      noticeFor: loop ? [] : matched.map((d) => d.name),
      outcome,
    });
    if (outcome.decision !== 'hold') this.jobs.nudge(DELIVER_QUEUE.name);
    this.logger.debug(`${id}: ${outcome.reason}`);
  }

  /** Stage 5: the alias it was sent to, then every domain it names, looked up in one query. */
  private async match(envelopeTo: string[], mail: ParsedMessage): Promise<TrackedDomain[]> {
    const candidates = new Set([...aliasDomains(envelopeTo, this.config.mailDomain), ...extractCandidates(mail)]);
    if (candidates.size === 0) return [];
    const tracked = await this.domains.findByAsciiNames([...candidates]);
    return tracked.map((d) => ({ name: d.name, clientId: d.clientId }));
  }
}
