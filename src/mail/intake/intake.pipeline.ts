// The life of an inbound message after it is stored, stage by stage as DESIGN.md lists them:
// parse → verify → match → classify → decide. Runs as a durable job per message; the result is
// written once, in one transaction, so a crash anywhere simply runs the job again.
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { JobQueue } from '../../database/job-queue';
import { DomainsService } from '../../domains/domains.service';
import { RegistrarsService } from '../../registrars/registrars.service';
import { BounceAddresses } from '../delivery/bounce-addresses';
import { DELIVER_QUEUE } from '../delivery/queues';
import { MessagesService, type RoutingResult, type RoutingView } from '../messages/messages.service';
import { classify } from './classify';
import { decide } from './decide';
import { loopReason, type LoopReason } from './loop';
import { aliasDomains, extractCandidates } from './match';
import { parse, type ParsedMessage } from './parse';
import { parsedOriginals } from './parsed-cache';
import { ROUTE_QUEUE } from './queues';
import { retryDelay, verify } from './verify';

/** Route job loops per process. */
const ROUTE_WORKERS = 3;

interface RouteJob {
  messageId: string;
  /** How many times sender verification has been put off for want of DNS (enforce mode). */
  verifyAttempt?: number;
}

/** A message after stages 3–4: its result already (unparseable), or what matching needs. */
interface Examined {
  id: string;
  result?: RoutingResult;
  mail?: ParsedMessage;
  candidates?: string[];
  loop?: LoopReason;
  senderAccepted?: boolean;
  authResults?: object | null;
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
    private readonly bounces: BounceAddresses,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.define(ROUTE_QUEUE);
    // Several loops, so that one batch's parsing overlaps another's database round trips;
    // recordDecisions decides each message once whichever loop (or instance) runs its job.
    await this.jobs.workBatches<RouteJob>(ROUTE_QUEUE.name, (jobs) => this.routeMany(jobs.map((j) => j.data)), {
      batchSize: 8,
      workers: ROUTE_WORKERS,
    });
  }

  /** Wake the local worker: a message was just stored. */
  nudge(): void {
    this.jobs.nudge(ROUTE_QUEUE.name);
  }

  /** Routes one stored message (a repeated or late call changes nothing once it is decided). */
  async route(id: string, verifyAttempt = 0): Promise<void> {
    await this.routeMany([{ messageId: id, verifyAttempt }]);
  }

  /**
   * Routes a batch of stored messages: their rows and bytes in one query, parse and verify each,
   * the tracked domains of all of them in one query, and every decision in one statement.
   */
  async routeMany(jobs: RouteJob[]): Promise<void> {
    const stored = await this.messages.loadManyForRouting(jobs.map((j) => j.messageId));
    const examined = await Promise.all(jobs.map((job) => this.examine(job, stored.get(job.messageId))));
    const waiting = examined.filter((e): e is Examined => e !== undefined);
    if (waiting.length === 0) return;

    // Stage 5 for the whole batch: the alias each was sent to, then every domain it names.
    const all = new Set(waiting.flatMap((e) => e.candidates ?? []));
    const tracked = all.size ? await this.domains.findByAsciiNames([...all]) : [];
    const decisions = waiting.map(({ id, result, candidates, mail, loop, senderAccepted, authResults }) => {
      if (result) return { id, result };
      const names = new Set(candidates);
      const matched = tracked.filter((d) => names.has(d.name)).map((d) => ({ name: d.name, clientId: d.clientId }));
      const outcome = decide({ loop, domains: matched, senderAccepted: senderAccepted! });
      this.logger.debug(`${id}: ${outcome.reason}`);
      return {
        id,
        result: {
          subject: mail!.subject || null,
          from: mail!.from,
          kind: classify(mail!.subject, mail!.text).kind,
          matched,
          authResults: authResults ?? null,
          noticeFor: loop ? [] : matched.map((d) => d.name),
          outcome,
        } satisfies RoutingResult,
      };
    });
    await this.messages.recordDecisions(decisions);
    if (decisions.some((d) => d.result.outcome.decision !== 'hold')) this.jobs.nudge(DELIVER_QUEUE.name);
  }

  /**
   * Stages 3–4 for one message: undefined when there is nothing to decide (gone, decided, discarded,
   * a bounce filed, or verification put off); else either its result (unparseable) or what stage 5
   * needs.
   */
  private async examine(job: RouteJob, stored: { message: RoutingView; raw: Buffer } | undefined): Promise<Examined | undefined> {
    if (!stored) return undefined; // already decided (a repeated job) or gone
    const { message, raw } = stored;
    const id = message.id;
    const verifyAttempt = job.verifyAttempt ?? 0;
    // Staff may discard a message while its routing waits for DNS (verify.ts): it stays discarded.
    if (message.status === 'discarded') return undefined;

    // A delivery status notification for one of our letters is not registrar mail.
    // It fails the delivery only when it proves the letter failed; otherwise it is held (bounce.ts).
    const bounced = await this.bounces.find(message.envelopeTo);
    if (bounced) {
      await this.messages.recordBounce(id, bounced.deliveryId, await this.bounces.report(bounced, raw));
      return undefined;
    }

    const parsed = await parse(raw);
    if (!parsed.ok) {
      return {
        id,
        result: {
          subject: null,
          from: null,
          kind: null,
          matched: [],
          authResults: null,
          noticeFor: [],
          outcome: { decision: 'hold', holdReason: 'unparseable', reason: `Held: ${parsed.reason}.` },
        },
      };
    }
    const mail = parsed.message;
    parsedOriginals.set(id, mail);
    const verification = await verify(raw, message, this.config, this.registrars);
    const retryIn = retryDelay(verification, verifyAttempt);
    if (retryIn !== undefined) {
      // enforce, and DNS left the check open: route it again later rather than hold it (verify.ts).
      await this.jobs.send(ROUTE_QUEUE.name, { messageId: id, verifyAttempt: verifyAttempt + 1 } satisfies RouteJob, { startAfter: retryIn });
      this.logger.warn(`${id}: ${verification.results?.reason} Routing again in ${retryIn} s.`);
      return undefined;
    }
    return {
      id,
      mail,
      candidates: [...new Set([...aliasDomains(message.envelopeTo, this.config.mailDomain), ...extractCandidates(mail)])],
      loop: loopReason(mail.headers),
      senderAccepted: verification.mode !== 'enforce' || verification.verified === true,
      authResults: verification.results,
    };
  }
}
