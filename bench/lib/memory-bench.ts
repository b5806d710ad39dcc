// Peak RSS of the Aster processes (the main one, and its worker processes for the big message) in the two cases of issue 7: one 25 MB message (until the 250, and
// until its copy reaches the sink), and 1,000 idle SMTP connections. The peak is VmHWM after
// resetting it through /proc/<pid>/clear_refs, cross-checked by sampling VmRSS every 20 ms.
import { Client } from 'pg';
import type { AsterProcess } from './aster';
import { registrarMessage } from './messages';
import { memory, peakBetween, resetPeak, sampleRss } from './proc';
import type { SinkHandle } from './sink-handle';
import { runLoad, SmtpConnection } from './smtp-load';

export interface MemoryResult {
  big: {
    bytes: number;
    before: number;
    acceptMs: number;
    hwmAtAccept: number;
    sampledAtAccept: number;
    forwarded: boolean;
    forwardedBytes: number;
    forwardMs: number;
    hwmForwarded: number;
    sampledForwarded: number;
    /** Peak RSS sampled in each part of the message's life after the 250 (from the pipeline's timestamps). */
    phases: { phase: string; ms: number; peak: number }[];
    /** The worker processes (ASTER_WORKER_PROCESSES), which route and forward it: RSS before, peak (VmHWM, sampled). */
    workers: { pid: number; before: number; hwm: number; sampled: number }[];
  };
  idle: { connections: number; greeted: number; heldSeconds: number; before: number; hwm: number; sampled: number };
}

/** A pause before each case, so the process is idle (timers, pools) when the peak is reset. */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 3000));
}

/** When the 25 MB message was routed, and when its delivery was created and sent (epoch ms). */
async function lifeOf(url: string, messageIdPrefix: string): Promise<{ decided: number; queued: number; sent: number } | undefined> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const { rows } = await pg.query(
      `SELECT m."decidedAt" AS decided, d."createdAt" AS queued, d."sentAt" AS sent
         FROM inbound_message m JOIN delivery d ON d."inboundMessageId" = m.id WHERE m."messageId" LIKE $1`,
      [`${messageIdPrefix}%`],
    );
    if (!rows[0]) return undefined;
    return { decided: rows[0].decided.getTime(), queued: rows[0].queued.getTime(), sent: rows[0].sent?.getTime() ?? NaN };
  } finally {
    await pg.end();
  }
}

export async function runMemoryBench(
  aster: AsterProcess,
  smtpPort: number,
  sink: SinkHandle,
  options: { to: string; domain: string; idle: number; databaseUrl: string },
): Promise<MemoryResult> {
  const pid = aster.pid;

  // 1,000 idle connections: greeted, EHLO answered, then nothing.
  await settle();
  const idleBefore = memory(pid).rss;
  resetPeak(pid);
  let sampler = sampleRss(pid);
  const connections: SmtpConnection[] = [];
  let greeted = 0;
  for (let i = 0; i < options.idle; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, options.idle - i) }, async () => {
        const c = await SmtpConnection.open(smtpPort);
        try {
          await c.greet('mx.registrar-bench.test');
          greeted++;
        } catch {
          // counted as not greeted
        }
        return c;
      }),
    );
    connections.push(...batch);
  }
  const held = 5;
  await new Promise((r) => setTimeout(r, held * 1000));
  const idleHwm = memory(pid).hwm;
  const idleSampled = sampler.stop();
  for (const c of connections) c.destroy();

  // One 25 MB message.
  await settle();
  const token = 'bm900-000001';
  const raw = registrarMessage({ size: '25m', token, domain: options.domain, to: options.to });
  const before = memory(pid).rss;
  resetPeak(pid);
  sampler = sampleRss(pid);
  const workerPids = aster.workerPids();
  const workerBefore = workerPids.map((w) => memory(w).rss);
  for (const w of workerPids) resetPeak(w);
  const workerSamplers = workerPids.map((w) => sampleRss(w));
  const load = await runLoad({ port: smtpPort, sessions: 1, count: 1, message: () => ({ token, from: 'noreply@gandi-bench.test', to: options.to, raw }) });
  const sent = load.sent[0];
  const hwmAtAccept = memory(pid).hwm;
  const sampledAtAccept = sampler.stop();
  sampler = sampleRss(pid);
  const arrived = (await sink.waitFor([token], 120_000)) === 1;
  const arrival = sink.arrivals.get(token);
  const hwmForwarded = Math.max(hwmAtAccept, memory(pid).hwm);
  const sampledForwarded = Math.max(sampledAtAccept, sampler.stop());
  const workers = workerPids.map((w, i) => ({ pid: w, before: workerBefore[i], hwm: memory(w).hwm, sampled: workerSamplers[i].stop() }));
  if (!sent || sent.code !== 250) throw new Error(`the 25 MB message was not accepted: ${sent?.reply ?? load.errors.join(' / ')}`);
  await new Promise((r) => setTimeout(r, 500));
  const life = await lifeOf(options.databaseUrl, token);
  const phases: { phase: string; ms: number; peak: number }[] = [];
  if (life && arrival) {
    // Routing and forwarding happen in a worker process when there is one.
    const t = workerSamplers[0]?.timeline ?? sampler.timeline;
    phases.push({ phase: 'receive and store (MAIL FROM → 250)', ms: sent.answeredAt - sent.startedAt, peak: sampledAtAccept });
    if (life.decided > sent.answeredAt) {
      phases.push({ phase: 'route (250 → decided)', ms: life.decided - sent.answeredAt, peak: peakBetween(t, sent.answeredAt, life.decided) });
      phases.push({ phase: 'compose and relay (decided → copy at the sink)', ms: arrival.at - life.decided, peak: peakBetween(t, life.decided, arrival.at) });
    } else {
      // decidedAt is the routing pass's transaction start, which can come before the 250 reaches the
      // client when routing, composing and relaying are one pass: one part, then.
      phases.push({
        phase: 'route, compose and relay (250 → copy at the sink)',
        ms: arrival.at - sent.answeredAt,
        peak: peakBetween(t, sent.answeredAt, arrival.at),
      });
    }
  }

  return {
    big: {
      bytes: raw.length,
      before,
      acceptMs: sent.answeredAt - sent.startedAt,
      hwmAtAccept,
      sampledAtAccept,
      forwarded: arrived,
      forwardedBytes: arrival?.size ?? 0,
      forwardMs: arrival ? arrival.at - sent.answeredAt : NaN,
      hwmForwarded,
      sampledForwarded,
      phases,
      workers,
    },
    idle: { connections: options.idle, greeted, heldSeconds: held, before: idleBefore, hwm: idleHwm, sampled: idleSampled },
  };
}
