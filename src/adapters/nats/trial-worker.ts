import { hostname } from 'node:os';
import {
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../core/index.js';
import { type BarSeries, invalid } from '../../model/index.js';
import { type Metrics, WorkerPool } from '../../research/index.js';
import { getBars } from './bar-store.js';
import { DEFAULT_NATS_URL, type QueueSettings, connectNats, ensureQueue, manager } from './connection.js';
import { type JobMessage, type ResultMessage, encode, parseJob } from './messages.js';
import { DEFAULT_PREFIX, type QueueNames, queueNames } from './names.js';

export interface TrialWorkerOptions extends QueueSettings {
  /** Default: NATS_URL, else nats://127.0.0.1:4222. */
  readonly url?: string;
  readonly prefix?: string;
  /** Backtests run at once, each on its own thread (default 1). */
  readonly concurrency?: number;
  /** Shown in results and logs (default host:pid). */
  readonly name?: string;
  readonly logger: Logger;
  /** On stop(), how long running backtests may finish before they are handed back to the queue. */
  readonly graceMs?: number;
}

/** How long one pull waits for a job; also the longest stop() waits for an idle slot to notice. */
const PULL_EXPIRES_MS = 2000;
const BARS_CACHED = 4;

interface Slot {
  key: string;
  pool: WorkerPool | undefined;
  job: JsMsg | undefined;
}

/**
 * Consumes the jobs of the shared durable pull consumer. Each of `concurrency` slots pulls one job only
 * when it is free (so a busy worker does not sit on jobs another could run), runs the backtest on its own
 * worker thread through the same WorkerPool → runTrial path a local search uses, sends `working()` while it
 * runs so a long backtest is not redelivered, publishes the result and only then acks. A worker killed
 * before the ack leaves its job unacked: JetStream redelivers it after ack_wait.
 */
export class TrialWorker {
  readonly name: string;
  /** Resolves when the worker has stopped. */
  readonly done: Promise<void>;
  jobsDone = 0;
  private stopping = false;
  private finished: () => void = undefined!;
  private shuttingDown: Promise<void> | undefined = undefined;
  private readonly bars = new Map<string, Promise<BarSeries>>();
  private readonly slots: Slot[];

  private constructor(
    readonly url: string,
    readonly names: QueueNames,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly consumer: Consumer,
    private readonly ackWaitMs: number,
    concurrency: number,
    name: string,
    private readonly log: Logger,
    private readonly graceMs: number,
  ) {
    this.name = name;
    this.slots = Array.from({ length: concurrency }, () => ({ key: '', pool: undefined, job: undefined }));
    this.done = new Promise<void>((resolve) => (this.finished = resolve));
    void Promise.all(this.slots.map((s) => this.loop(s))).then(() => this.shutdown());
  }

  static async start(o: TrialWorkerOptions): Promise<TrialWorker> {
    const url = o.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
    const names = queueNames(o.prefix ?? DEFAULT_PREFIX);
    const concurrency = o.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw invalid('concurrency', o.concurrency, 'must be a positive integer');
    const grace = o.graceMs ?? 10_000;
    if (!(grace >= 0)) throw invalid('graceMs', o.graceMs, 'must be a non-negative number of ms');
    const name = o.name ?? `${hostname()}:${process.pid}`;
    const nc = await connectNats(url, `tickerml worker ${name}`);
    try {
      const jsm = await manager(nc, url);
      await ensureQueue(jsm, names, o);
      const js = jetstream(nc);
      const consumer = await js.consumers.get(names.jobsStream, names.consumer);
      const ackWaitMs = ((await consumer.info()).config.ack_wait ?? 30e9) / 1e6;
      o.logger.info('worker ready', { url, prefix: names.prefix, concurrency, name, ackWaitMs });
      return new TrialWorker(
        url,
        names,
        nc,
        js,
        jsm,
        consumer,
        ackWaitMs,
        concurrency,
        name,
        o.logger,
        grace,
      );
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  private async loop(slot: Slot): Promise<void> {
    while (!this.stopping) {
      let m: JsMsg | null;
      try {
        m = await this.consumer.next({ expires: PULL_EXPIRES_MS });
      } catch (e) {
        if (this.stopping) break;
        this.log.warn('pull failed, retrying', { error: (e as Error).message });
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!m) continue;
      if (this.stopping) {
        m.nak();
        break;
      }
      slot.job = m;
      try {
        await this.handle(slot, m);
      } finally {
        slot.job = undefined;
      }
    }
  }

  private async handle(slot: Slot, m: JsMsg): Promise<void> {
    let job: JobMessage;
    try {
      job = parseJob(m.data);
    } catch (e) {
      // Malformed jobs cannot be answered (no job id to answer to) and would fail again on any worker.
      this.log.error('malformed job dropped', { error: (e as Error).message, subject: m.subject });
      m.term((e as Error).message);
      return;
    }
    const delivery = m.info.deliveryCount;
    this.log.debug('job started', { jobId: job.jobId, delivery });
    const heartbeat = setInterval(() => m.working(), Math.max(100, this.ackWaitMs / 3));
    let reply: ResultMessage;
    const base = { jobId: job.jobId, batch: job.batch, index: job.index, delivery, worker: this.name };
    try {
      reply = { ...base, metrics: await this.run(slot, job) };
    } catch (e) {
      if (this.stopping && slot.job === undefined) return; // handed back by shutdown()
      const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      reply = { ...base, error: msg.replace(/^TickerError: backtest of .*? failed: /, '') };
    } finally {
      clearInterval(heartbeat);
    }
    try {
      await this.js.publish(this.names.resultsSubject(job.runId), encode(reply), { msgID: job.jobId });
    } catch (e) {
      // Not acked: JetStream redelivers the job after ack_wait and another try publishes the result.
      this.log.warn('publishing a result failed; the job will be redelivered', {
        jobId: job.jobId,
        error: (e as Error).message,
      });
      return;
    }
    m.ack();
    this.jobsDone++;
    this.log.debug('job done', { jobId: job.jobId });
  }

  private async run(slot: Slot, job: JobMessage): Promise<Metrics> {
    const key = `${job.bars.hash}\n${JSON.stringify(job.spec)}`;
    if (slot.key !== key || !slot.pool) {
      const bars = await this.barsOf(job.bars.hash);
      await slot.pool?.close();
      slot.pool = undefined;
      slot.pool = await WorkerPool.start({ bars, spec: job.spec, workers: 1 });
      slot.key = key;
    }
    const [metrics] = await slot.pool.evaluate([job.params], job.window);
    return metrics!;
  }

  private barsOf(hash: string): Promise<BarSeries> {
    let p = this.bars.get(hash);
    if (!p) {
      p = getBars(this.jsm, this.names, { hash });
      p.catch(() => this.bars.delete(hash));
      this.bars.set(hash, p);
      if (this.bars.size > BARS_CACHED) this.bars.delete(this.bars.keys().next().value!);
    }
    return p;
  }

  /**
   * Stops pulling. Running backtests get `graceMs` to finish and be answered; any still running then are
   * nak'ed so another worker takes them at once instead of after ack_wait.
   */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.log.info('worker stopping', { name: this.name, running: this.slots.filter((s) => s.job).length });
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => (timer = setTimeout(r, this.graceMs)));
      await Promise.race([this.done, grace]);
      clearTimeout(timer);
      for (const s of this.slots) {
        const m = s.job;
        if (!m) continue;
        s.job = undefined;
        m.nak();
        this.log.warn('running job handed back to the queue', { subject: m.subject, seq: m.seq });
      }
      await this.shutdown();
    }
    await this.done;
  }

  private shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      // Terminating a pool abandons its running backtest; its job was nak'ed or will be redelivered.
      for (const s of this.slots) await s.pool?.close();
      await this.nc.drain();
      this.log.info('worker stopped', { name: this.name, jobsDone: this.jobsDone });
      this.finished();
    })();
    return this.shuttingDown;
  }
}
