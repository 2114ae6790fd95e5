import type { BarSeries } from '../model/index.js';
import type { BarWindow } from './bar-window.js';
import type { Metrics } from './objectives.js';
import type { Params } from './param-space.js';
import { type BacktestSpec, runTrial } from './trial.js';

/**
 * Evaluates candidates. The optimizers only see this port, so the same search runs in process, on a pool
 * of worker threads (parallel/worker-pool.ts) or on any function (tests). Results come back in the order
 * of the candidates whatever ran them, which is what makes a search's result independent of the number of
 * workers.
 */
export interface TrialRunner {
  /** How many backtests run at once. */
  readonly concurrency: number;
  evaluate(candidates: readonly Params[], window?: BarWindow): Promise<Metrics[]>;
  close(): Promise<void>;
}

/** Runs backtests one after another in this thread. */
export function localRunner(bars: BarSeries, spec: BacktestSpec): TrialRunner {
  return {
    concurrency: 1,
    evaluate: (cands, window) => Promise.resolve(cands.map((p) => runTrial(bars, spec, p, window).metrics)),
    close: () => Promise.resolve(),
  };
}

/** Scores candidates with a plain function (a known test function, or a cached table). */
export function functionRunner(fn: (p: Params) => Metrics): TrialRunner {
  return {
    concurrency: 1,
    evaluate: (cands) => Promise.resolve(cands.map(fn)),
    close: () => Promise.resolve(),
  };
}
