import { invalid } from '../model/index.js';
import type { Params } from './param-space.js';

/** Named numbers a trial is scored by (TrialMetrics, or any function's outputs in tests). */
export type Metrics = Readonly<Record<string, number>>;

/** One evaluated candidate. */
export interface Trial {
  readonly params: Params;
  readonly metrics: Metrics;
}

/** A metric and whether more of it is better. */
export interface Objective {
  readonly metric: string;
  readonly goal: 'max' | 'min';
}

/** Return and Sharpe up, drawdown down: the default multi-objective fitness. */
export const DEFAULT_OBJECTIVES: readonly Objective[] = [
  { metric: 'sharpe', goal: 'max' },
  { metric: 'totalReturn', goal: 'max' },
  { metric: 'maxDrawdown', goal: 'min' },
];

export function checkObjectives(objectives: readonly Objective[]): void {
  if (objectives.length === 0)
    throw invalid('objectives', objectives, 'name at least one metric to optimize');
  for (const o of objectives)
    if (o.goal !== 'max' && o.goal !== 'min')
      throw invalid(`objectives.${o.metric}.goal`, o.goal, "must be 'max' or 'min'");
}

/**
 * The metrics as a vector where larger is better on every axis. A missing or NaN value (a strategy that
 * never traded has no Sharpe) is the worst possible, so it never wins a comparison.
 */
export function orient(m: Metrics, objectives: readonly Objective[]): number[] {
  return objectives.map((o) => {
    const v = m[o.metric];
    if (v === undefined || Number.isNaN(v)) return -Infinity;
    return o.goal === 'max' ? v : -v;
  });
}

/** Index of the trial best on the first objective (ties: the earliest, so the choice is deterministic). */
export function bestIndex(trials: readonly Trial[], objectives: readonly Objective[]): number {
  let best = -1;
  let bv = -Infinity;
  for (let i = 0; i < trials.length; i++) {
    const v = orient(trials[i]!.metrics, objectives.slice(0, 1))[0]!;
    if (best < 0 || v > bv) {
      best = i;
      bv = v;
    }
  }
  return best;
}
