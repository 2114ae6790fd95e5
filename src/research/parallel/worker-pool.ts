import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type BarSeries, TickerError, invalid } from '../../model/index.js';
import { type BarWindow, shareBars } from '../bar-window.js';
import type { Metrics } from '../objectives.js';
import type { Params } from '../param-space.js';
import type { TrialRunner } from '../runner.js';
import type { BacktestSpec } from '../trial.js';
import type { TrialJob, TrialReply, WorkerInit } from './messages.js';

export interface WorkerPoolOptions {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  /** Worker threads (default: every core, os.availableParallelism()). */
  readonly workers?: number;
}

/**
 * Runs the backtests of a search on worker threads. The bars are copied once into SharedArrayBuffers and
 * every worker reads the same memory. Jobs go to whichever worker is free; results are put back in
 * candidate order, so a search gives the same result on 1 or on 16 workers (each backtest is itself
 * deterministic). Worker threads are I/O-edge code: this folder is outside the kernel folders.
 */
export class WorkerPool implements TrialRunner {
  readonly concurrency: number;
  private readonly workers: Worker[];
  private closed = false;
  private busy = false;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    this.concurrency = workers.length;
  }

  static async start(o: WorkerPoolOptions): Promise<WorkerPool> {
    const n = o.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) throw invalid('workers', n, 'must be a positive integer');
    const shared = shareBars(o.bars);
    const init: WorkerInit = {
      instrumentId: shared.instrumentId,
      columns: {
        ts: shared.ts,
        open: shared.open,
        high: shared.high,
        low: shared.low,
        close: shared.close,
        volume: shared.volume,
      },
      spec: o.spec,
    };
    // Under vitest/tsx this module is TypeScript: the worker then loads its .ts sibling through tsx.
    const fromSource = import.meta.url.endsWith('.ts');
    const file = new URL(fromSource ? './trial-worker.ts' : './trial-worker.js', import.meta.url);
    // tsx's ESM hooks are registered inside the thread, then the worker module is imported (tests only).
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file.href)}); })`;
    const workers = Array.from({ length: n }, () =>
      fromSource
        ? new Worker(boot, { eval: true, workerData: init })
        : new Worker(file, { workerData: init }),
    );
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('online', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
    return new WorkerPool(workers);
  }

  evaluate(candidates: readonly Params[], window?: BarWindow): Promise<Metrics[]> {
    if (this.closed) return Promise.reject(new TickerError('POOL_CLOSED', 'the worker pool was closed'));
    if (this.busy) return Promise.reject(new TickerError('POOL_BUSY', 'one evaluate() at a time per pool'));
    if (candidates.length === 0) return Promise.resolve([]);
    this.busy = true;
    return new Promise<Metrics[]>((resolve, reject) => {
      const out = new Array<Metrics>(candidates.length);
      let next = 0;
      let done = 0;
      let failed = false;
      const cleanup = () => {
        for (const w of this.workers) {
          w.removeAllListeners('message');
          w.removeAllListeners('error');
        }
        this.busy = false;
      };
      const send = (w: Worker) => {
        if (next >= candidates.length) return;
        const job: TrialJob = { id: next, params: candidates[next]!, window };
        next++;
        w.postMessage(job);
      };
      for (const w of this.workers) {
        w.on('message', (r: TrialReply) => {
          if (failed) return;
          if ('error' in r) {
            failed = true;
            cleanup();
            reject(
              new TickerError(
                'TRIAL_FAILED',
                `backtest of ${JSON.stringify(candidates[r.id])} failed: ${r.error}`,
                { field: 'params', value: candidates[r.id] },
              ),
            );
            return;
          }
          out[r.id] = r.metrics;
          if (++done === candidates.length) {
            cleanup();
            resolve(out);
          } else send(w);
        });
        w.on('error', (e) => {
          if (failed) return;
          failed = true;
          cleanup();
          reject(e);
        });
      }
      for (const w of this.workers) send(w);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
