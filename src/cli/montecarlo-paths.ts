import { Random } from '../core/index.js';
import type { BarSeries } from '../model/index.js';
import { type BacktestSpec, type Params, periodReturns, quarantineOf, runTrial } from '../research/index.js';
import type { QuarantineOptions } from '../research/index.js';

/** Percentile bands of the block-bootstrapped equity per period, for the fan chart, and each path's final return. */
export interface EquityFan {
  readonly periods: number;
  /** Per period (0 = start, equity 1): the 5th, 25th, 50th, 75th and 95th percentile of path equity. */
  readonly p5: Float64Array;
  readonly p25: Float64Array;
  readonly median: Float64Array;
  readonly p75: Float64Array;
  readonly p95: Float64Array;
  /** Final return of each path. */
  readonly finalReturns: Float64Array;
  readonly blockLength: number;
}

/**
 * Re-draws the circular block bootstrap that monteCarlo() summarizes (same backtest on the usable bars,
 * same generator seeded with seed + 2, same block length), keeping every path so the report can draw a
 * fan and a histogram. The percentile interval of `finalReturns` equals monteCarlo().returns.totalReturn
 * (the CLI tests check it), so the pictures show the numbers in the table.
 */
export function bootstrapFan(
  bars: BarSeries,
  spec: BacktestSpec,
  params: Params,
  o: QuarantineOptions & { paths: number; seed: number; blockLength?: number },
): EquityFan {
  const q = quarantineOf(bars, o);
  const run = runTrial(bars, spec, params, { from: 0, to: q.usableEnd });
  const { returns } = periodReturns(run.ts, run.equity);
  const n = returns.length;
  const L = o.blockLength ?? Math.ceil(Math.cbrt(n));
  const rnd = new Random(o.seed + 2);
  const eq = Array.from({ length: n + 1 }, () => new Float64Array(o.paths));
  const finalReturns = new Float64Array(o.paths);
  for (let p = 0; p < o.paths; p++) {
    let level = 1;
    eq[0]![p] = 1;
    for (let i = 0; i < n;) {
      const start = rnd.int(n);
      for (let k = 0; k < L && i < n; k++, i++) {
        level *= 1 + returns[(start + k) % n]!;
        eq[i + 1]![p] = level;
      }
    }
    finalReturns[p] = level - 1;
  }
  const bands = [0.05, 0.25, 0.5, 0.75, 0.95].map(() => new Float64Array(n + 1));
  for (let t = 0; t <= n; t++) {
    const v = eq[t]!.sort();
    [0.05, 0.25, 0.5, 0.75, 0.95].forEach((pr, b) => {
      const h = (v.length - 1) * pr;
      const lo = Math.floor(h);
      bands[b]![t] = v[lo]! + (h - lo) * (v[Math.min(lo + 1, v.length - 1)]! - v[lo]!);
    });
  }
  const [p5, p25, median, p75, p95] = bands as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return { periods: n, p5, p25, median, p75, p95, finalReturns, blockLength: L };
}
