import type { BarSeries } from '../model/index.js';
import { invalid } from '../model/index.js';
import { type BarWindow, checkWindow } from './bar-window.js';
import { type GeneticOptions, geneticSearch } from './genetic.js';
import type { Objective } from './objectives.js';
import type { ParamSpace } from './param-space.js';
import {
  type Quarantine,
  type QuarantineOptions,
  assertBeforeQuarantine,
  quarantineOf,
} from './quarantine.js';
import { type TrialRunner, localRunner } from './runner.js';
import { type SearchResult, gridSearch, randomSearch } from './search.js';
import type { BacktestSpec } from './trial.js';

/** How to search: the grid, `samples` random candidates, or the genetic algorithm. */
export type SearchMethod =
  | { readonly kind: 'grid' }
  | { readonly kind: 'random'; readonly samples: number; readonly seed: number }
  | ({ readonly kind: 'genetic'; readonly seed: number } & Partial<
      Pick<
        GeneticOptions,
        'population' | 'generations' | 'tournament' | 'crossoverRate' | 'mutationRate' | 'elite' | 'patience'
      >
    >);

/** Runs one search of `space` through `runner` on `window`. */
export function searchWith(
  method: SearchMethod,
  space: ParamSpace,
  runner: TrialRunner,
  objectives: readonly Objective[] | undefined,
  window: BarWindow | undefined,
): Promise<SearchResult> {
  const base = { space, runner, ...(objectives ? { objectives } : {}), ...(window ? { window } : {}) };
  switch (method.kind) {
    case 'grid':
      return gridSearch(base);
    case 'random':
      return randomSearch({ ...base, samples: method.samples, seed: method.seed });
    case 'genetic': {
      const { kind: _k, ...ga } = method;
      return geneticSearch({ ...base, ...ga });
    }
    default:
      throw invalid(
        'method.kind',
        (method as { kind: unknown }).kind,
        "must be 'grid', 'random' or 'genetic'",
      );
  }
}

export interface OptimizeOptions extends QuarantineOptions {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  readonly space: ParamSpace;
  readonly method: SearchMethod;
  /** First objective picks `best` (default Sharpe, return, drawdown). */
  readonly objectives?: readonly Objective[];
  /** Bars to optimize on (default: everything before the quarantine). Refused if it reaches into it. */
  readonly window?: BarWindow;
  /** Where backtests run (default: this thread). Pass a WorkerPool to use every core. */
  readonly runner?: TrialRunner;
}

export interface OptimizeResult extends SearchResult {
  readonly window: BarWindow;
  readonly quarantine: Quarantine;
}

/** `tickerml optimize`: one search over the data before the quarantine. */
export async function optimize(o: OptimizeOptions): Promise<OptimizeResult> {
  if (o.space.strategy !== undefined && o.space.strategy !== o.spec.strategy)
    throw invalid('space.strategy', o.space.strategy, `must match spec.strategy ${o.spec.strategy}`);
  const q = quarantineOf(o.bars, o);
  const window = o.window ?? { from: 0, to: q.usableEnd };
  checkWindow(o.bars, window);
  assertBeforeQuarantine(o.bars, q, window.to, 'optimize window');
  const runner = o.runner ?? localRunner(o.bars, o.spec);
  const r = await searchWith(o.method, o.space, runner, o.objectives, window);
  return { ...r, window, quarantine: q };
}
