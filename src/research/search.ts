import { Random } from '../core/index.js';
import { invalid } from '../model/index.js';
import type { BarWindow } from './bar-window.js';
import { DEFAULT_OBJECTIVES, type Objective, type Trial, bestIndex, checkObjectives } from './objectives.js';
import type { Params, ParamSpace } from './param-space.js';
import { paretoFront } from './pareto.js';
import type { TrialRunner } from './runner.js';

export interface SearchOptions {
  readonly space: ParamSpace;
  readonly runner: TrialRunner;
  /** Default: Sharpe (max), return (max), max drawdown (min). The first one picks `best`. */
  readonly objectives?: readonly Objective[];
  /** Bars to evaluate on (default: what the runner was given, whole). */
  readonly window?: BarWindow;
}

export interface SearchResult {
  readonly method: 'grid' | 'random' | 'genetic';
  /** Every evaluated trial, in evaluation order. */
  readonly trials: readonly Trial[];
  /** The non-dominated trials over all objectives. */
  readonly front: readonly Trial[];
  /** The trial best on the first objective. */
  readonly best: Trial;
  readonly objectives: readonly Objective[];
  /** Backtests run. */
  readonly evaluations: number;
}

/** Evaluates every valid lattice point of the space. */
export async function gridSearch(o: SearchOptions): Promise<SearchResult> {
  const cands = o.space.grid();
  if (cands.length === 0) throw invalid('space', o.space.names, 'no lattice point satisfies the constraints');
  // Trials list the searched values; the backtests also get the space's fixed values.
  const full = cands.map((c) => o.space.complete(c));
  return summarize('grid', cands, await o.runner.evaluate(full, o.window), o.objectives);
}

export interface RandomSearchOptions extends SearchOptions {
  readonly samples: number;
  readonly seed: number;
}

/** Evaluates `samples` distinct valid candidates drawn with the seeded generator. */
export async function randomSearch(o: RandomSearchOptions): Promise<SearchResult> {
  const cands = o.space.sample(o.samples, new Random(o.seed));
  const full = cands.map((c) => o.space.complete(c));
  return summarize('random', cands, await o.runner.evaluate(full, o.window), o.objectives);
}

export function summarize(
  method: SearchResult['method'],
  cands: readonly Params[],
  metrics: readonly Readonly<Record<string, number>>[],
  objectives: readonly Objective[] = DEFAULT_OBJECTIVES,
): SearchResult {
  checkObjectives(objectives);
  const trials = cands.map((params, i) => ({ params, metrics: metrics[i]! }));
  return {
    method,
    trials,
    front: paretoFront(trials, objectives),
    best: trials[bestIndex(trials, objectives)]!,
    objectives,
    evaluations: trials.length,
  };
}
