// The life of an inbound message after it is stored, stage by stage as DESIGN.md lists them:
// parse → verify → match → classify → decide. Runs as a durable job per message; the result is
// written once, in one transaction, so a crash anywhere simply runs the job again.
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { storableText } from '../../common/storable-text';
import { isDatabaseUnavailable, isDataRefused } from '../../database/pg-errors';
import { JobQueue } from '../../database/job-queue';
import { DomainsService } from '../../domains/domains.service';
import { RegistrarsService } from '../../registrars/registrars.service';
import { BounceAddresses } from '../delivery/bounce-addresses';
import { DELIVER_QUEUE } from '../delivery/queues';
import { registrableDomain } from '../../domains/domain-name';
import { checkClaims, registryReasons, type ClaimCheck } from './claims';
import { classifyNotice } from './classify';
import { decide } from './decide';
import { loopReason, type LoopReason } from './loop';
import { aliasDomains, extractCandidates } from './match';
import { parse, type ParsedMessage } from './parse';
import { parsedOriginals } from './parsed-cache';
import { ROUTE_QUEUE } from './queues';
import { RoutingStore, type RoutingResult, type RoutingView } from './routing-store';
import { retryDelay, verify } from './verify';

/** Route job loops per process. */
const ROUTE_WORKERS = 3;

interface RouteJob {
  messageId: string;
  /** How many times sender verification has been put off for want of DNS (enforce mode). */
  verifyAttempt?: number;
}

/** Checks one domain at its registry now (the registry watch provides it under REGISTRY_CHECK). */
export interface RegistryCheck {
  check(domainId: string): Promise<unknown>;
}
export const REGISTRY_CHECK = 'REGISTRY_CHECK';

/** A registrar as routing knows it (RegistrarsService.senderDirectory). */
type RegistrarEntry = { name: string; ianaId: number | null; senderDomains: string[] };
/** A tracked domain as routing reads it (DomainsService.findByAsciiNames). */
type TrackedForRouting = Awaited<ReturnType<DomainsService['findByAsciiNames']>>[number];

/**
 * The classifier's suspicion, with the registry's reasons added: a notice whose registrar the
 * registry contradicts (both IANA ids known), or whose expiry date it contradicts when the sender
 * is not verified registrar mail, is not what it claims to be.
 */
function withRegistryReasons(suspicious: { reasons: string[] } | null, checks: ClaimCheck[], senderVerified: boolean): { reasons: string[] } | null {
  const extra = registryReasons(checks, senderVerified);
  if (extra.length === 0) return suspicious;
  return { reasons: [...new Set([...(suspicious?.reasons ?? []), ...extra])] };
}

/** A route job as the worker hands it over: how many times it has failed before. */
interface RouteTask extends RouteJob {
  retryCount?: number;
}

/**
 * Routing one message failed this many times (a bug, or a value the database refuses): it is held as
 * `routing_failed` for staff rather than retried for the rest of the hour. A failure that says the
 * database is away is retried for as long as the queue allows (ROUTE_QUEUE).
 */
const HOLD_AFTER_FAILURES = 3;

interface RouteFailure {
  id: string;
  error: unknown;
  retryCount: number;
}

/**
 * What stages 3–4 (parse, verify) hand on for one message: nothing to decide (`skipped`: gone,
 * decided, discarded, a bounce filed, or verification put off), a hold already decided (`held`:
 * unparseable), or a parsed message `ready` for match, classify and decide.
 */
type Examined =
  | { kind: 'skipped' }
  | { kind: 'held'; id: string; result: RoutingResult }
  | {
      kind: 'ready';
      id: string;
      mail: ParsedMessage;
      /** The domains of the alias it was sent to, then every domain it names (stage 5's input). */
      candidates: string[];
      loop: LoopReason | undefined;
      /** False only when `enforce` did not verify the sender. */
      senderAccepted: boolean;
      /** False when verification ran and did not verify the sender (any mode but `off`); undefined with `off`. */
      senderVerified: boolean | undefined;
      authResults: object | null;
    };
type Ready = Extract<Examined, { kind: 'ready' }>;

/** A hold decided without reading the message (unparseable, routing_failed): nothing parsed is kept. */
function held(holdReason: 'unparseable' | 'routing_failed', reason: string): RoutingResult {
  return { subject: null, from: null, kind: null, matched: [], authResults: null, noticeFor: [], outcome: { decision: 'hold', holdReason, reason } };
}

@Injectable()
export class IntakePipeline implements OnApplicationBootstrap {
  private readonly logger = new Logger('Intake');

  constructor(
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    private readonly jobs: JobQueue,
    private readonly store: RoutingStore,
    private readonly domains: DomainsService,
    private readonly registrars: RegistrarsService,
    private readonly bounces: BounceAddresses,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.define(ROUTE_QUEUE);
    // Several loops, so that one batch's parsing overlaps another's database round trips;
    // recordDecisions decides each message once whichever loop (or instance) runs its job.
    await this.jobs.workBatches<RouteJob>(ROUTE_QUEUE.name, (jobs) => this.routeMany(jobs.map((j) => ({ ...j.data, retryCount: j.retryCount }))), {
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
   * the tracked domains of all of them in one query, and every decision in one statement. One bad
   * message never stalls the others: a message whose stages throw is set aside, and when the batch's
   * write fails its messages are written one by one, so only the one at fault is left over. That
   * one is retried, or held as `routing_failed` (with a staff alert) once retrying cannot help.
   */
  async routeMany(jobs: RouteTask[]): Promise<void> {
    const stored = await this.store.loadManyForRouting(jobs.map((j) => j.messageId));
    const failures: RouteFailure[] = [];
    const examined: Exclude<Examined, { kind: 'skipped' }>[] = [];
    const settled = await Promise.allSettled(jobs.map((job) => this.examine(job, stored.get(job.messageId))));
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') failures.push({ id: jobs[i].messageId, error: outcome.reason, retryCount: jobs[i].retryCount ?? 0 });
      else if (outcome.value.kind !== 'skipped') examined.push(outcome.value);
    });
    const away = failures.find((f) => isDatabaseUnavailable(f.error));
    if (away) throw away.error;

    if (examined.length > 0) {
      const ready = examined.filter((e): e is Ready => e.kind === 'ready');
      const tracked = await this.trackedDomains(ready);
      const registrars = await this.knownRegistrars();
      const decisions = examined.map((e) => ({ id: e.id, result: e.kind === 'held' ? e.result : this.decideOne(e, tracked, registrars) }));
      const written = await this.record(decisions, jobs, failures);
      if (written.some((d) => d.result.outcome.decision !== 'hold')) this.jobs.nudge(DELIVER_QUEUE.name);
    }
    await this.settleFailures(failures);
  }

  /** Stage 5's lookup for the whole batch: the tracked domains among every candidate, in one query. */
  private async trackedDomains(ready: Ready[]): Promise<TrackedForRouting[]> {
    const names = new Set(ready.flatMap((e) => e.candidates));
    return names.size ? this.refreshStaleViews(await this.domains.findByAsciiNames([...names]), names) : [];
  }

  private registrarDirectory: { at: number; registrars: Promise<RegistrarEntry[]> } | undefined;

  /** Every registrar with its sender domains, read at most every 30 s (look-alikes, the sender's registrar). */
  private knownRegistrars(): Promise<RegistrarEntry[]> {
    const now = Date.now();
    if (!this.registrarDirectory || now - this.registrarDirectory.at > 30_000) {
      const registrars = this.registrars.senderDirectory();
      this.registrarDirectory = { at: now, registrars };
      registrars.catch(() => (this.registrarDirectory = undefined));
    }
    return this.registrarDirectory.registrars;
  }

  /** How long routing waits for the registry when a domain's view is stale (issue 13: never for long). */
  private static readonly REGISTRY_WAIT_MS = 3000;

  /** The registry's view of `d`, when no older than RDAP_SYNC_INTERVAL. */
  private freshView(d: TrackedForRouting): TrackedForRouting['registry'] | undefined {
    const maxAge = this.config.rdap.syncIntervalMs ?? 24 * 60 * 60 * 1000;
    return d.registry && d.registryOkAt && Date.now() - new Date(d.registryOkAt).getTime() <= maxAge ? d.registry : undefined;
  }

  /**
   * Domains a message names whose registry view has gone stale are checked now (the registry watch,
   * when this process runs it), all at once and for at most REGISTRY_WAIT_MS; what does not answer
   * in time stays `unknown` in the checks and the watch catches up later. A domain never checked is
   * left to the watch's schedule: routing does not make a portfolio's first checks.
   */
  private async refreshStaleViews(tracked: TrackedForRouting[], named: Set<string>): Promise<TrackedForRouting[]> {
    const stale = tracked.filter((d) => named.has(d.name) && d.registryOkAt && !this.freshView(d));
    if (stale.length === 0) return tracked;
    let watch: RegistryCheck;
    try {
      // Resolved at run time by its token: the watch module imports this one (for its letters), so
      // it cannot be injected here without a cycle.
      watch = this.moduleRef.get<RegistryCheck>(REGISTRY_CHECK, { strict: false });
    } catch {
      return tracked; // no registry watch in this process
    }
    const checks = Promise.allSettled(stale.map((d) => watch.check(d.id)));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, IntakePipeline.REGISTRY_WAIT_MS).unref());
    await Promise.race([checks, timeout]);
    return this.domains.findByAsciiNames(tracked.map((d) => d.name));
  }

  /** Stages 5–7 for one parsed message: match, classify, decide. */
  private decideOne(message: Ready, tracked: TrackedForRouting[], registrars: RegistrarEntry[]): RoutingResult {
    const concerned = this.match(message, tracked);
    const { kind, reading, checks } = this.classify(message, concerned, registrars);
    const matched = concerned.map((d) => ({ name: d.name, clientId: d.clientId }));
    const outcome = decide({
      loop: message.loop,
      domains: matched,
      senderAccepted: message.senderAccepted,
      senderVerified: message.senderVerified,
      unverifiedClientLimit: this.config.maxClientsPerUnverified,
    });
    this.logger.debug(`${message.id}: ${outcome.reason}`);
    return {
      subject: message.mail.subject || null,
      from: message.mail.from,
      kind,
      reading,
      checks,
      matched,
      authResults: message.authResults,
      noticeFor: message.loop ? [] : matched.map((d) => d.name),
      outcome,
    };
  }

  /** Stage 5, match: the tracked domains among the message's candidates (looked up for the batch). */
  private match(message: Ready, tracked: TrackedForRouting[]): TrackedForRouting[] {
    const names = new Set(message.candidates);
    return tracked.filter((d) => names.has(d.name));
  }

  /**
   * Stage 6, classify: the kind of notice, read against the registrar of record, and its claims
   * checked against the registry; a notice the registry contradicts is suspicious, and its kind `other`.
   */
  private classify(message: Ready, concerned: TrackedForRouting[], registrars: RegistrarEntry[]): Pick<RoutingResult, 'kind' | 'reading' | 'checks'> {
    const { mail, senderVerified } = message;
    // The registry's view of each domain, when the watch checked it within its interval.
    const registry = new Map(concerned.map((d) => [d.name, this.freshView(d) ?? undefined]));
    // The registrar of record: ours on file, else the registry's when it is a registrar we know.
    const ofRecord = new Map<string, { name: string; senderDomains: string[] }>();
    for (const d of concerned) {
      if (d.registrarName) ofRecord.set(d.registrarName, { name: d.registrarName, senderDomains: d.registrarSenderDomains });
      else {
        const known = registrars.find((r) => r.ianaId !== null && r.ianaId === registry.get(d.name)?.registrarIanaId);
        if (known) ofRecord.set(known.name, { name: known.name, senderDomains: known.senderDomains });
      }
    }
    const reading = classifyNotice({
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      from: mail.from,
      fromAddress: mail.fromAddress ?? null,
      registrarOfRecord: [...ofRecord.values()],
      knownRegistrarDomains: registrars.flatMap((r) => r.senderDomains),
      senderVerified,
    });
    const senderDomain = mail.fromAddress ? registrableDomain(mail.fromAddress) : undefined;
    const sender = senderDomain ? registrars.find((r) => r.senderDomains.includes(senderDomain)) : undefined;
    const checks = checkClaims({
      kind: reading.kind,
      text: mail.text,
      domains: concerned.map((d) => d.name),
      sender: sender ? { name: sender.name, ianaId: sender.ianaId } : null,
      registry,
    });
    const suspicious = withRegistryReasons(reading.suspicious, checks, senderVerified === true);
    return {
      kind: suspicious && !reading.suspicious ? 'other' : reading.kind,
      reading: { confidence: reading.confidence, evidence: reading.evidence, suspicious },
      checks,
    };
  }

  /**
   * Writes the decisions in one statement; if that fails, one by one, adding each message that still
   * fails to `failures`. Returns the decisions written.
   */
  private async record(decisions: { id: string; result: RoutingResult }[], jobs: RouteTask[], failures: RouteFailure[]) {
    try {
      await this.store.recordDecisions(decisions);
      return decisions;
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      if (decisions.length === 1) {
        failures.push({ id: decisions[0].id, error: err, retryCount: jobs.find((j) => j.messageId === decisions[0].id)?.retryCount ?? 0 });
        return [];
      }
      this.logger.warn(`A batch of ${decisions.length} decisions could not be written (${String(err)}); writing them one by one.`);
    }
    const written: typeof decisions = [];
    for (const decision of decisions) {
      try {
        await this.store.recordDecisions([decision]);
        written.push(decision);
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err;
        failures.push({ id: decision.id, error: err, retryCount: jobs.find((j) => j.messageId === decision.id)?.retryCount ?? 0 });
      }
    }
    return written;
  }

  /**
   * Messages whose routing failed: held as `routing_failed` (a staff alert comes with the hold) when
   * the cause is in the message or the failures repeat; otherwise thrown, so that the job is retried.
   */
  private async settleFailures(failures: RouteFailure[]): Promise<void> {
    const retry: RouteFailure[] = [];
    for (const failure of failures) {
      if (!isDataRefused(failure.error) && failure.retryCount + 1 < HOLD_AFTER_FAILURES) {
        retry.push(failure);
        continue;
      }
      const cause = storableText(failure.error instanceof Error ? failure.error.message : String(failure.error)).slice(0, 300);
      this.logger.error(`${failure.id}: routing failed (${cause}); holding it for staff.`);
      // Nothing of what was parsed is written: it may be what the database refused.
      await this.store.recordDecisions([{ id: failure.id, result: held('routing_failed', `Held: routing failed and was not retried further (${cause}).`) }]);
    }
    if (retry.length > 0) {
      const [first] = retry;
      throw new Error(
        `Routing failed for ${retry.map((f) => f.id).join(', ')}; retrying: ${first.error instanceof Error ? first.error.message : String(first.error)}`,
      );
    }
  }

  /**
   * Stages 3–4 for one message, parse and verify (a bounce to one of our deliveries is filed here
   * instead): `skipped` when there is nothing to decide, `held` when it cannot be parsed, else
   * `ready` with what stage 5 needs.
   */
  private async examine(job: RouteJob, stored: { message: RoutingView; raw: Buffer } | undefined): Promise<Examined> {
    if (!stored) return { kind: 'skipped' }; // already decided (a repeated job) or gone
    const { message, raw } = stored;
    const id = message.id;
    const verifyAttempt = job.verifyAttempt ?? 0;
    // Staff may discard a message while its routing waits for DNS (verify.ts): it stays discarded.
    if (message.status === 'discarded') return { kind: 'skipped' };

    // A delivery status notification for one of our letters is not registrar mail.
    // It fails the delivery only when it proves the letter failed; otherwise it is held (bounce.ts).
    const bounced = await this.bounces.find(message.envelopeTo);
    if (bounced) {
      await this.store.recordBounce(id, bounced.deliveryId, await this.bounces.report(bounced, raw));
      return { kind: 'skipped' };
    }

    const parsed = await parse(raw);
    if (!parsed.ok) return { kind: 'held', id, result: held('unparseable', `Held: ${parsed.reason}.`) };
    const mail = parsed.message;
    parsedOriginals.set(id, mail);
    const verification = await verify(raw, message, this.config, this.registrars);
    const retryIn = retryDelay(verification, verifyAttempt);
    if (retryIn !== undefined) {
      // enforce, and DNS left the check open: route it again later rather than hold it (verify.ts).
      await this.jobs.send(ROUTE_QUEUE.name, { messageId: id, verifyAttempt: verifyAttempt + 1 } satisfies RouteJob, { startAfter: retryIn });
      this.logger.warn(`${id}: ${verification.results?.reason} Routing again in ${retryIn} s.`);
      return { kind: 'skipped' };
    }
    return {
      kind: 'ready',
      id,
      mail,
      candidates: [...new Set([...aliasDomains(message.envelopeTo, this.config.mailDomain), ...extractCandidates(mail)])],
      loop: loopReason(mail.headers),
      senderAccepted: verification.mode !== 'enforce' || verification.verified === true,
      senderVerified: verification.mode === 'off' ? undefined : verification.verified === true,
      authResults: verification.results ?? null,
    };
  }
}
