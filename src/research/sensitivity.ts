import { type BarSeries, invalid } from '../model/index.js';
import type { MetricName } from './metrics.js';
import type { ParamValue, Params, ParamSpace } from './param-space.js';
import { type QuarantineOptions, quarantineOf } from './quarantine.js';
import { type TrialRunner, localRunner } from './runner.js';
import type { BacktestSpec } from './trial.js';

export interface SensitivityOptions extends QuarantineOptions {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  readonly space: ParamSpace;
  /** The optimum to probe around. */
  readonly params: Params;
  /** Lattice steps either side of the optimum, per parameter (default 2). */
  readonly steps?: number;
  readonly metric?: MetricName;
  readonly runner?: TrialRunner;
}

export interface SensitivityProfile {
  readonly name: string;
  /** Neighbouring values with the metric there (others held at the optimum); invalid neighbours are skipped. */
  readonly points: readonly { readonly value: ParamValue; readonly metric: number }[];
  /** (metric at the optimum − worst neighbour) / |metric at the optimum|: how sharp the peak is. */
  readonly relativeDrop: number;
}

/**
 * The performance around an optimum, one parameter at a time. A robust optimum sits on a plateau; one
 * that collapses a step away is a spike fitted to noise (Pardo 2008, ch. 11, "robust parameter sets").
 */
export async function parameterSensitivity(o: SensitivityOptions): Promise<SensitivityProfile[]> {
  const q = quarantineOf(o.bars, o);
  const steps = o.steps ?? 2;
  if (!Number.isInteger(steps) || steps < 1) throw invalid('steps', steps, 'must be a positive integer');
  const metric = o.metric ?? 'sharpe';
  const runner = o.runner ?? localRunner(o.bars, o.spec);
  const window = { from: 0, to: q.usableEnd };
  const out: SensitivityProfile[] = [];
  for (const name of o.space.names) {
    const lv = o.space.levels(name);
    const at = lv.indexOf(o.params[name]!);
    if (at < 0)
      throw invalid(`params.${name}`, o.params[name], `is not on the space's lattice (${lv.join(', ')})`);
    const cands: Params[] = [];
    for (let k = Math.max(0, at - steps); k <= Math.min(lv.length - 1, at + steps); k++) {
      const p = { ...o.params, [name]: lv[k]! };
      if (o.space.isValid(p)) cands.push(p);
    }
    const ms = await runner.evaluate(
      cands.map((p) => o.space.complete(p)),
      window,
    );
    const points = cands.map((p, i) => ({ value: p[name]!, metric: ms[i]![metric]! }));
    const center = points.find((p) => p.value === o.params[name])!.metric;
    const worst = Math.min(...points.map((p) => (Number.isNaN(p.metric) ? Infinity : p.metric)));
    out.push({ name, points, relativeDrop: (center - worst) / Math.abs(center) });
  }
  return out;
}
