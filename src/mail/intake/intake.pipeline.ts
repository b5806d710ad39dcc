// The life of an inbound message after it is stored, stage by stage as DESIGN.md lists them:
// parse → verify → match → classify → decide → deliver, in one pass. A routing loop (claim-loop.ts)
// claims a batch of stored messages in a transaction (their row locks are the claim), routes them,
// relays their copies, and writes the decisions and the first attempts in that transaction, which
// commits once for the batch. A crash before the commit leaves the messages stored and unlocked:
// they are claimed again, and a copy the relay had taken already goes again with the same Message-ID.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { storableText } from '../../common/storable-text';
import { isDatabaseUnavailable, isDataRefused } from '../../database/pg-errors';
import { ClaimLoop } from '../../database/claim-loop';
import { JobQueue } from '../../database/job-queue';
import { DomainsService } from '../../domains/domains.service';
import { RegistrarsService } from '../../registrars/registrars.service';
import { BounceAddresses } from '../delivery/bounce-addresses';
import { Forwarder } from '../delivery/forwarder';
import type { BounceReport } from './bounce';
import { registrableDomain } from '../../domains/domain-name';
import { checkClaims, registryReasons, type ClaimCheck } from './claims';
import { classifyNotice } from './classify';
import { decide } from './decide';
import { loopReason, type LoopReason } from './loop';
import { aliasDomains, extractCandidates } from './match';
import { parse, type ParsedMessage } from './parse';
import { parsedOriginals } from './parsed-cache';
import { ROUTE_LOOP } from './queues';
import { RoutingStore, type ClaimedMessage, type RoutingResult, type RoutingView } from './routing-store';
import { retryDelay, verify } from './verify';

/** Routing loops per process: one batch's parsing overlaps another's wait for the relay and the database. */
const ROUTE_LOOPS = 2;
/** Messages per routing pass. */
const ROUTE_BATCH = 16;

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

/**
 * Routing one message failed this many times (a bug, or a value the database refuses): it is held as
 * `routing_failed` for staff rather than retried again and again. A database that is away fails
 * the whole pass instead, which is claimed again once it is back (claim-loop.ts).
 */
const HOLD_AFTER_FAILURES = 3;

interface RouteFailure {
  id: string;
  error: unknown;
  /** Failed passes before this one. */
  failures: number;
}

/**
 * What stages 3–4 (parse, verify) hand on for one message: nothing to decide (`skipped`: gone,
 * decided, discarded, a bounce filed, or verification put off), a hold already decided (`held`:
 * unparseable), or a parsed message `ready` for match, classify and decide.
 */
type Examined =
  | { kind: 'skipped' }
  /** Mail to one of our bounce addresses: filed against its delivery, not routed. */
  | { kind: 'bounce'; id: string; deliveryId: string; report: BounceReport }
  /** `enforce`, and DNS left the check open: routed again in `seconds`. */
  | { kind: 'later'; id: string; seconds: number }
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

/** The decision of a message none of whose clients has a contact that receives notices. */
function noRecipient(result: RoutingResult): RoutingResult {
  const { outcome } = result;
  const shares = outcome.decision === 'forward' ? [outcome.share] : outcome.decision === 'digest' ? outcome.shares : [];
  const reason = `Held: no contact of the client receives notices (${shares.map((s) => s.domains.join(', ')).join(' / ')}).`;
  return { ...result, outcome: { decision: 'hold', holdReason: 'no_recipient', reason } };
}

/** A hold decided without reading the message (unparseable, routing_failed): nothing parsed is kept. */
function held(holdReason: 'unparseable' | 'routing_failed', reason: string): RoutingResult {
  return { subject: null, from: null, kind: null, matched: [], authResults: null, noticeFor: [], outcome: { decision: 'hold', holdReason, reason } };
}

@Injectable()
export class IntakePipeline implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Intake');
  private loop: ClaimLoop<ClaimedMessage> | undefined;

  constructor(
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly forwarder: Forwarder,
    private readonly store: RoutingStore,
    private readonly domains: DomainsService,
    private readonly registrars: RegistrarsService,
    private readonly bounces: BounceAddresses,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('worker')) return;
    this.loop = new ClaimLoop<ClaimedMessage>(this.db, {
      name: ROUTE_LOOP,
      loops: ROUTE_LOOPS,
      batchSize: ROUTE_BATCH,
      sweepMs: 1000,
      claim: (manager, limit) => this.store.claim(manager, limit),
      work: (manager, batch) => this.routeBatch(manager, batch),
    });
    this.jobs.onNudge(ROUTE_LOOP, () => this.loop?.nudge());
    this.loop.start();
  }

  /** Before the database closes: the passes under way finish and commit. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
  }

  /** Wake a routing loop: a message was just stored. */
  nudge(): void {
    this.jobs.nudge(ROUTE_LOOP);
  }

  /**
   * Routes one stored message now, in a transaction of its own (a message decided already, or
   * claimed by a pass under way, is left alone).
   */
  async route(id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const claimed = await manager.query<ClaimedMessage[]>(
        `SELECT id, "routeFailures", "verifyAttempts" FROM inbound_message WHERE id = $1 AND stage = 'stored' FOR UPDATE SKIP LOCKED`,
        [id],
      );
      if (claimed.length) await this.routeBatch(manager, claimed);
    });
  }

  /**
   * Routes and delivers a claimed batch, writing through `manager` (the claiming transaction): their
   * rows and bytes in one query; parse and verify each; the tracked domains of all of them in one
   * query; the decisions in one statement; the copies composed and relayed side by side; the
   * deliveries and their first attempts in one statement. One bad message never stalls the others:
   * a message whose stages throw is set aside, and when the batch's write fails its messages are
   * written one by one (each under a savepoint), so only the one at fault is left over. That one is
   * put off and tried again, or held as `routing_failed` (with a staff alert) once retrying cannot
   * help. A database that is away fails the whole pass: nothing is written, the batch is claimed again.
   */
  async routeBatch(manager: EntityManager, claimed: ClaimedMessage[]): Promise<void> {
    const stored = await this.store.loadManyForRouting(
      manager,
      claimed.map((c) => c.id),
    );
    const failures: RouteFailure[] = [];
    const examined: Exclude<Examined, { kind: 'skipped' }>[] = [];
    const settled = await Promise.allSettled(claimed.map((c) => this.examine(c, stored.get(c.id))));
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') failures.push({ id: claimed[i].id, error: outcome.reason, failures: claimed[i].routeFailures });
      else if (outcome.value.kind !== 'skipped') examined.push(outcome.value);
    });
    const away = failures.find((f) => isDatabaseUnavailable(f.error));
    if (away) throw away.error;
    const failuresOf = (id: string) => claimed.find((c) => c.id === id)?.routeFailures ?? 0;

    // Bounces filed and verification put off: each under its own savepoint.
    for (const e of examined) {
      if (e.kind !== 'bounce' && e.kind !== 'later') continue;
      const error = await this.guarded(manager, () =>
        e.kind === 'bounce' ? this.store.recordBounce(manager, e.id, e.deliveryId, e.report) : this.store.putOff(manager, e.id, e.seconds, 'verifyAttempts'),
      );
      if (error) failures.push({ id: e.id, error, failures: failuresOf(e.id) });
    }

    const toDecide = examined.filter((e): e is Extract<Examined, { kind: 'held' | 'ready' }> => e.kind === 'held' || e.kind === 'ready');
    if (toDecide.length > 0) {
      const ready = toDecide.filter((e): e is Ready => e.kind === 'ready');
      const tracked = await this.trackedDomains(ready);
      const registrars = await this.knownRegistrars();
      const decisions = toDecide.map((e) => ({ id: e.id, result: e.kind === 'held' ? e.result : this.decideOne(e, tracked, registrars) }));
      // Stage 8's recipients, before the decisions are written: a message none of whose clients has
      // a contact that receives notices is held (`no_recipient`) instead.
      const raws = new Map(toDecide.map((e) => [e.id, stored.get(e.id)!.raw]));
      const { copies, unreached } = await this.forwarder.plan(
        decisions.filter((d) => d.result.outcome.decision !== 'hold').map((d) => ({ ...d, raw: raws.get(d.id)! })),
      );
      for (const d of decisions) if (unreached.has(d.id)) d.result = noRecipient(d.result);
      const written = await this.record(manager, decisions, failures, failuresOf);
      // Stage 8: the copies of the messages decided, relayed before this pass commits.
      const delivered = await this.forwarder.send(copies.filter((c) => written.has(c.delivery.inboundMessageId!)));
      await this.store.recordDeliveries(manager, delivered);
    }
    await this.settleFailures(manager, failures);
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
   * Runs `write` under a savepoint: a write the database refuses is undone alone and returned, so the
   * rest of the pass goes on. A database that is away is thrown.
   */
  private async guarded(manager: EntityManager, write: () => Promise<unknown>): Promise<unknown> {
    await manager.query('SAVEPOINT routing_write');
    try {
      await write();
      await manager.query('RELEASE SAVEPOINT routing_write');
      return undefined;
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      await manager.query('ROLLBACK TO SAVEPOINT routing_write');
      return err ?? new Error('write failed');
    }
  }

  /**
   * Writes the decisions in one statement; if that fails, one by one, adding each message that still
   * fails to `failures`. Returns the ids decided.
   */
  private async record(
    manager: EntityManager,
    decisions: { id: string; result: RoutingResult }[],
    failures: RouteFailure[],
    failuresOf: (id: string) => number,
  ): Promise<Set<string>> {
    let written = new Set<string>();
    const error = await this.guarded(manager, async () => (written = await this.store.recordDecisions(manager, decisions)));
    if (!error) return written;
    if (decisions.length === 1) {
      failures.push({ id: decisions[0].id, error, failures: failuresOf(decisions[0].id) });
      return new Set();
    }
    this.logger.warn(
      `A batch of ${decisions.length} decisions could not be written (${error instanceof Error ? error.message : 'unknown error'}); writing them one by one.`,
    );
    written = new Set();
    for (const decision of decisions) {
      let one = new Set<string>();
      const failed = await this.guarded(manager, async () => (one = await this.store.recordDecisions(manager, [decision])));
      if (failed) failures.push({ id: decision.id, error: failed, failures: failuresOf(decision.id) });
      else for (const id of one) written.add(id);
    }
    return written;
  }

  /**
   * Messages whose routing failed: held as `routing_failed` (a staff alert comes with the hold) when
   * the cause is in the message or the failures repeat; otherwise put off, and claimed again after a
   * pause that doubles with each failure.
   */
  private async settleFailures(manager: EntityManager, failures: RouteFailure[]): Promise<void> {
    for (const failure of failures) {
      const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
      if (!isDataRefused(failure.error) && failure.failures + 1 < HOLD_AFTER_FAILURES) {
        const seconds = 2 ** (failure.failures + 1);
        this.logger.warn(`${failure.id}: routing failed (${message}); trying again in ${seconds} s.`);
        await this.store.putOff(manager, failure.id, seconds, 'routeFailures');
        continue;
      }
      const cause = storableText(message).slice(0, 300);
      this.logger.error(`${failure.id}: routing failed (${cause}); holding it for staff.`);
      // Nothing of what was parsed is written: it may be what the database refused.
      await this.store.recordDecisions(manager, [
        { id: failure.id, result: held('routing_failed', `Held: routing failed and was not retried further (${cause}).`) },
      ]);
    }
  }

  /**
   * Stages 3–4 for one message, parse and verify (a bounce to one of our deliveries is filed here
   * instead): `skipped` when there is nothing to decide, `held` when it cannot be parsed, else
   * `ready` with what stage 5 needs.
   */
  private async examine(claimed: ClaimedMessage, stored: { message: RoutingView; raw: Buffer } | undefined): Promise<Examined> {
    if (!stored) return { kind: 'skipped' }; // already decided or gone
    const { message, raw } = stored;
    const id = message.id;
    // Staff may discard a message while its routing waits for DNS (verify.ts): it stays discarded.
    if (message.status === 'discarded') return { kind: 'skipped' };

    // A delivery status notification for one of our letters is not registrar mail.
    // It fails the delivery only when it proves the letter failed; otherwise it is held (bounce.ts).
    const bounced = await this.bounces.find(message.envelopeTo);
    if (bounced) return { kind: 'bounce', id, deliveryId: bounced.deliveryId, report: await this.bounces.report(bounced, raw) };

    const parsed = await parse(raw);
    if (!parsed.ok) return { kind: 'held', id, result: held('unparseable', `Held: ${parsed.reason}.`) };
    const mail = parsed.message;
    parsedOriginals.set(id, mail);
    const verification = await verify(raw, message, this.config, this.registrars);
    const retryIn = retryDelay(verification, claimed.verifyAttempts);
    if (retryIn !== undefined) {
      // enforce, and DNS left the check open: route it again later rather than hold it (verify.ts).
      this.logger.warn(`${id}: ${verification.results?.reason} Routing again in ${retryIn} s.`);
      return { kind: 'later', id, seconds: retryIn };
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
