import { basename } from 'node:path';
import { readCsvBars } from '../data/csv-bars.js';
import { BacktestEngine } from '../engine/backtest.js';
import { TickerError, defaultInstrument } from '../model/index.js';
import { statsToJson } from '../portfolio/stats.js';
import { type RunRecord, renderReport, runRecordFromBacktest } from '../report/index.js';
import { createStrategy } from '../strategies/index.js';

export interface BacktestRequest {
  readonly strategy: string;
  readonly params: Record<string, unknown>;
  readonly instrumentId: string;
  readonly cash: number;
  readonly commission: number;
}

export interface BacktestJob {
  readonly id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  readonly request: BacktestRequest;
  readonly submittedAt: string;
  finishedAt: string | null;
  error: string | null;
  result?: {
    stats: Record<string, unknown>;
    equity: { ts: number; equity: number }[];
    trades: {
      instrumentId: string;
      size: number;
      entryPrice: number;
      exitPrice: number;
      pnl: number;
      entryTs: number;
      exitTs: number;
    }[];
    bars: number;
    fills: number;
    seconds: number;
  };
}

export interface Dataset {
  readonly file: string;
  readonly lotSize: number;
  readonly tickSize: number;
  readonly quote: string;
}

/** Backtests submitted over the API, run one at a time off the request path, kept in memory (last 100). */
export class BacktestJobs {
  private readonly jobs = new Map<string, BacktestJob>();
  /** Run records of finished jobs (what the HTML report is drawn from), kept as long as their job. */
  private readonly records = new Map<string, RunRecord>();
  private readonly queue: BacktestJob[] = [];
  private running = false;
  private n = 0;

  constructor(private readonly datasets: ReadonlyMap<string, Dataset>) {}

  /** Validates the strategy, its parameters and the dataset now (TickerError naming the field), runs later. */
  submit(req: BacktestRequest): BacktestJob {
    if (!this.datasets.has(req.instrumentId))
      throw new TickerError(
        'INVALID_ARGUMENT',
        `body.instrumentId: no dataset '${req.instrumentId}'; known: ${[...this.datasets.keys()].join(', ')}`,
        { field: 'body.instrumentId', value: req.instrumentId },
      );
    try {
      createStrategy(req.strategy, req.params);
    } catch (e) {
      if (e instanceof TickerError)
        throw new TickerError(e.code, e.message, {
          field: `body.${e.field === 'strategy' ? 'strategy' : (e.field ?? 'params').replace(/^param\./, 'params.')}`,
          value: e.value,
        });
      throw e;
    }
    const job: BacktestJob = {
      id: `bt-${++this.n}`,
      status: 'queued',
      progress: 0,
      request: req,
      submittedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    if (this.jobs.size > 100) {
      const oldest = this.jobs.keys().next().value!;
      this.jobs.delete(oldest);
      this.records.delete(oldest);
    }
    this.queue.push(job);
    setImmediate(() => this.drain());
    return job;
  }

  get(id: string): BacktestJob | undefined {
    return this.jobs.get(id);
  }

  /**
   * The self-contained HTML report (src/report) of a finished job; undefined when the job is unknown. Throws
   * CONFLICT while it is queued or running, or when it failed.
   */
  report(id: string): string | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const rec = this.records.get(id);
    if (job.status !== 'done' || !rec)
      throw new TickerError(
        'CONFLICT',
        job.status === 'failed'
          ? `backtest ${id} failed: ${job.error}`
          : `backtest ${id} is ${job.status}; poll /backtests/${id} until done`,
        { field: 'params.id', value: id },
      );
    return renderReport(rec);
  }

  list(): BacktestJob[] {
    return [...this.jobs.values()];
  }

  /** Resolves when the job is no longer queued or running (tests, CLI). */
  async settled(id: string): Promise<BacktestJob | undefined> {
    for (;;) {
      const j = this.jobs.get(id);
      if (!j || j.status === 'done' || j.status === 'failed') return j;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private drain(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = true;
    job.status = 'running';
    job.progress = 0.1;
    const t0 = performance.now();
    try {
      const ds = this.datasets.get(job.request.instrumentId)!;
      const { series } = readCsvBars(ds.file, { instrumentId: job.request.instrumentId });
      job.progress = 0.3;
      const engine = new BacktestEngine({
        cash: job.request.cash,
        commission: job.request.commission,
        currency: ds.quote,
      });
      engine.addInstrument(
        defaultInstrument(series.instrumentId, {
          quote: ds.quote,
          lotSize: ds.lotSize,
          minQuantity: ds.lotSize,
          tickSize: ds.tickSize,
        }),
        series,
      );
      engine.addStrategy(createStrategy(job.request.strategy, job.request.params));
      const r = engine.run();
      this.records.set(
        job.id,
        runRecordFromBacktest(r, [series], {
          strategy: job.request.strategy,
          params: job.request.params,
          data: [basename(ds.file)],
          config: { cash: job.request.cash, commission: job.request.commission },
        }),
      );
      const step = Math.max(1, Math.ceil(r.ts.length / 1000));
      const equity: { ts: number; equity: number }[] = [];
      for (let i = 0; i < r.ts.length; i += step) equity.push({ ts: r.ts[i]!, equity: r.equity[i]! });
      job.result = {
        stats: statsToJson(r.stats) as Record<string, unknown>,
        equity,
        trades: r.trades.slice(0, 1000).map((t) => ({
          instrumentId: t.instrumentId,
          size: t.size,
          entryPrice: t.entryPrice,
          exitPrice: t.exitPrice,
          pnl: t.pnl,
          entryTs: t.entryTs,
          exitTs: t.exitTs,
        })),
        bars: r.bars,
        fills: r.fills.length,
        seconds: (performance.now() - t0) / 1000,
      };
      job.status = 'done';
    } catch (e) {
      job.status = 'failed';
      job.error = (e as Error).message;
    }
    job.progress = 1;
    job.finishedAt = new Date().toISOString();
    this.running = false;
    setImmediate(() => this.drain());
  }
}
