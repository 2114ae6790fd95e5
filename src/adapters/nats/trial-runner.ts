import { randomUUID } from 'node:crypto';
import {
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type BarSeries, TickerError, invalid } from '../../model/index.js';
import type { BacktestSpec, BarWindow, Metrics, Params, TrialRunner } from '../../research/index.js';
import { putBars } from './bar-store.js';
import { DEFAULT_NATS_URL, type QueueSettings, connectNats, ensureQueue, manager } from './connection.js';
import { type BarsRef, type JobMessage, encode, parseResult } from './messages.js';
import { DEFAULT_PREFIX, type QueueNames, queueNames } from './names.js';

export interface NatsTrialRunnerOptions extends QueueSettings {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  /** Default: NATS_URL, else nats://127.0.0.1:4222. */
  readonly url?: string;
  /** Names of streams and consumer (default 'tickerml'); workers must be started with the same prefix. */
  readonly prefix?: string;
  /**
   * What the search is told about parallelism (the CLI's progress bar hands over this many × 4 candidates
   * at a time). The real parallelism is however many workers consume the queue. Default 64.
   */
  readonly concurrency?: number;
  /**
   * Give up when no result arrives for this long and no worker holds a job of this search (the queue has
   * no consumer running). Default 60 s.
   */
  readonly idleTimeoutMs?: number;
}

/** Counters of what came back; a duplicate is a second result for a job (a redelivery after a worker died). */
export interface NatsRunStats {
  jobs: number;
  results: number;
  duplicates: number;
  /** Results computed on a redelivery (delivery count > 1). */
  redelivered: number;
  /** Results per worker name. */
  byWorker: Record<string, number>;
}

interface Batch {
  readonly candidates: readonly Params[];
  readonly out: (Metrics | undefined)[];
  left: number;
  lastResultAt: number;
  readonly resolve: (m: Metrics[]) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Runs a search's backtests on `tickerml worker` processes through a NATS JetStream work queue. The bars are
 * stored once (content-addressed) in the bars stream; each candidate is one job; workers publish results to
 * this run's results subject, which this runner reads with an ordered consumer. Results are keyed by job
 * id, so a job redelivered after a worker died and answered twice is counted once, and evaluate() returns
 * them in candidate order: the search result equals an in-process run.
 */
export class NatsTrialRunner implements TrialRunner {
  readonly concurrency: number;
  readonly stats: NatsRunStats = { jobs: 0, results: 0, duplicates: 0, redelivered: 0, byWorker: {} };
  private readonly batches = new Map<number, Batch>();
  private nextBatch = 0;
  private closed = false;
  private readonly watchdog: NodeJS.Timeout;

  private constructor(
    readonly url: string,
    readonly names: QueueNames,
    readonly runId: string,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly spec: BacktestSpec,
    private readonly barsRef: BarsRef,
    private readonly barsLength: number,
    private readonly results: ConsumerMessages,
    concurrency: number,
    private readonly idleTimeoutMs: number,
  ) {
    this.concurrency = concurrency;
    void this.readResults();
    this.watchdog = setInterval(() => void this.checkIdle(), Math.min(5000, idleTimeoutMs / 2));
    this.watchdog.unref();
  }

  static async start(o: NatsTrialRunnerOptions): Promise<NatsTrialRunner> {
    const url = o.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
    const names = queueNames(o.prefix ?? DEFAULT_PREFIX);
    const concurrency = o.concurrency ?? 64;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw invalid('concurrency', o.concurrency, 'must be a positive integer');
    const idle = o.idleTimeoutMs ?? 60_000;
    if (!(idle > 0)) throw invalid('idleTimeoutMs', o.idleTimeoutMs, 'must be a positive number of ms');
    if (o.bars.length === 0) throw invalid('bars', 0, 'must not be empty');
    const nc = await connectNats(url, 'tickerml search');
    try {
      const jsm = await manager(nc, url);
      await ensureQueue(jsm, names, o);
      const js = jetstream(nc);
      const barsRef = await putBars(js, jsm, names, o.bars);
      const runId = randomUUID().replaceAll('-', '');
      // Ordered consumer: an ephemeral, flow-controlled reader the client recreates after a reconnect,
      // resuming after the last result it saw. A plain string filter works on servers before 2.10.
      const consumer = await js.consumers.get(names.resultsStream, {
        filter_subjects: names.resultsSubject(runId),
      });
      const results = await consumer.consume();
      return new NatsTrialRunner(
        url,
        names,
        runId,
        nc,
        js,
        jsm,
        o.spec,
        barsRef,
        o.bars.length,
        results,
        concurrency,
        idle,
      );
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  async evaluate(candidates: readonly Params[], window?: BarWindow): Promise<Metrics[]> {
    if (this.closed) throw new TickerError('RUNNER_CLOSED', 'the NATS trial runner was closed');
    if (window) {
      const { from, to } = window;
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > this.barsLength || from >= to)
        throw invalid(
          'window',
          window,
          `must be integer bar indices with 0 <= from < to <= ${this.barsLength}`,
        );
    }
    if (candidates.length === 0) return [];
    const batch = this.nextBatch++;
    const done = new Promise<Metrics[]>((resolve, reject) => {
      this.batches.set(batch, {
        candidates,
        out: new Array<Metrics | undefined>(candidates.length),
        left: candidates.length,
        lastResultAt: Date.now(),
        resolve,
        reject,
      });
    });
    const subject = this.names.jobsSubject(this.runId);
    try {
      // Publish acks are awaited together: one round trip per batch rather than per job. The job id is the
      // Nats-Msg-Id, so a publish retried after a lost ack is stored once.
      await Promise.all(
        candidates.map((params, index) => {
          const jobId = `${this.runId}.${batch}.${index}`;
          const job: JobMessage = {
            v: 1,
            runId: this.runId,
            jobId,
            batch,
            index,
            bars: this.barsRef,
            spec: this.spec,
            params,
            ...(window ? { window } : {}),
          };
          return this.js.publish(subject, encode(job), { msgID: jobId });
        }),
      );
    } catch (e) {
      this.batches.delete(batch);
      throw new TickerError('NATS_PUBLISH_FAILED', `publishing jobs to ${subject} on ${this.url} failed`, {
        field: 'NATS_URL',
        value: this.url,
        cause: e,
      });
    }
    this.stats.jobs += candidates.length;
    return done;
  }

  private async readResults(): Promise<void> {
    try {
      for await (const m of this.results) {
        let r;
        try {
          r = parseResult(m.data);
        } catch {
          continue; // not ours to act on; a malformed result cannot be matched to a job
        }
        const b = this.batches.get(r.batch);
        if (!b || r.jobId !== `${this.runId}.${r.batch}.${r.index}` || r.index >= b.out.length) {
          this.stats.duplicates++; // a late duplicate of a batch that already completed
          continue;
        }
        if (b.out[r.index] !== undefined) {
          this.stats.duplicates++;
          continue;
        }
        if ('error' in r) {
          this.batches.delete(r.batch);
          b.reject(
            new TickerError(
              'TRIAL_FAILED',
              `backtest of ${JSON.stringify(b.candidates[r.index])} failed on worker ${r.worker}: ${r.error}`,
              { field: 'params', value: b.candidates[r.index] },
            ),
          );
          continue;
        }
        b.out[r.index] = r.metrics;
        b.lastResultAt = Date.now();
        this.stats.results++;
        if (r.delivery > 1) this.stats.redelivered++;
        this.stats.byWorker[r.worker] = (this.stats.byWorker[r.worker] ?? 0) + 1;
        if (--b.left === 0) {
          this.batches.delete(r.batch);
          b.resolve(b.out as Metrics[]);
        }
      }
    } catch (e) {
      this.failAll(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** No result for idleTimeoutMs and no worker holding a job: nobody is consuming the queue. */
  private async checkIdle(): Promise<void> {
    const now = Date.now();
    const stale = [...this.batches.values()].filter((b) => now - b.lastResultAt > this.idleTimeoutMs);
    if (stale.length === 0 || this.closed) return;
    try {
      const ci = await this.jsm.consumers.info(this.names.jobsStream, this.names.consumer);
      if (ci.num_ack_pending > 0) {
        for (const b of stale) b.lastResultAt = now; // a worker is on a long job (it sends working())
        return;
      }
    } catch {
      // the consumer is gone or the server unreachable: report it as idle below
    }
    const pending = stale.reduce((s, b) => s + b.left, 0);
    this.failAll(
      new TickerError(
        'NATS_NO_WORKERS',
        `no tickerml worker answered for ${Math.round(this.idleTimeoutMs / 1000)} s (${pending} backtests ` +
          `waiting in stream ${this.names.jobsStream} on ${this.url}). Start workers with ` +
          `\`tickerml worker --nats ${this.url} --prefix ${this.names.prefix}\``,
        { field: 'NATS_URL', value: this.url },
      ),
    );
  }

  private failAll(e: Error): void {
    for (const b of this.batches.values()) b.reject(e);
    this.batches.clear();
  }

  /** Stops reading results, removes this run's leftover jobs and results, and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    this.failAll(new TickerError('RUNNER_CLOSED', 'the NATS trial runner was closed'));
    try {
      await this.results.close();
      await this.jsm.streams.purge(this.names.jobsStream, { filter: this.names.jobsSubject(this.runId) });
      await this.jsm.streams.purge(this.names.resultsStream, {
        filter: this.names.resultsSubject(this.runId),
      });
    } finally {
      await this.nc.close();
    }
  }
}
