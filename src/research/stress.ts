import { Random } from '../core/index.js';
import { BarSeries, invalid } from '../model/index.js';
import type { TrialMetrics } from './metrics.js';
import type { Params } from './param-space.js';
import { type QuarantineOptions, quarantineOf } from './quarantine.js';
import { type BacktestSpec, runTrial } from './trial.js';

/**
 * The bars with every log move scaled by `factor`: close-to-close returns and each bar's open, high and
 * low relative to its close. A power of a ratio keeps the order of open, high, low and close, so the bars
 * stay valid; factor 2 doubles the volatility.
 */
export function scaleVolatility(bars: BarSeries, factor: number): BarSeries {
  if (!(factor > 0)) throw invalid('factor', factor, 'must be positive');
  const n = bars.length;
  const c = cols(n);
  let prevIn = bars.close[0]!;
  let prevOut = prevIn;
  for (let i = 0; i < n; i++) {
    const close = bars.close[i]!;
    const out = prevOut * (close / prevIn) ** factor;
    c.close[i] = out;
    c.open[i] = out * (bars.open[i]! / close) ** factor;
    c.high[i] = out * (bars.high[i]! / close) ** factor;
    c.low[i] = out * (bars.low[i]! / close) ** factor;
    prevIn = close;
    prevOut = out;
  }
  c.ts.set(bars.ts);
  c.volume.set(bars.volume);
  return new BarSeries(bars.instrumentId, c);
}

/**
 * The bars with price gaps: at each bar, with `probability`, the whole rest of the series jumps by a
 * factor exp(±size·σ), σ the deviation of close-to-close log returns, so the bar opens away from the
 * previous close (an overnight gap, a halt, a news jump).
 */
export function insertGaps(
  bars: BarSeries,
  o: { probability: number; size: number; seed: number },
): BarSeries {
  if (!(o.probability >= 0 && o.probability <= 1))
    throw invalid('probability', o.probability, 'must be in [0, 1]');
  const n = bars.length;
  let s = 0;
  let s2 = 0;
  for (let i = 1; i < n; i++) {
    const r = Math.log(bars.close[i]! / bars.close[i - 1]!);
    s += r;
    s2 += r * r;
  }
  const sigma = Math.sqrt(Math.max(0, s2 / (n - 1) - (s / (n - 1)) ** 2));
  const rnd = new Random(o.seed);
  const c = cols(n);
  let m = 1;
  for (let i = 0; i < n; i++) {
    if (i > 0 && rnd.next() < o.probability) m *= Math.exp((rnd.next() < 0.5 ? -1 : 1) * o.size * sigma);
    c.open[i] = bars.open[i]! * m;
    c.high[i] = bars.high[i]! * m;
    c.low[i] = bars.low[i]! * m;
    c.close[i] = bars.close[i]! * m;
  }
  c.ts.set(bars.ts);
  c.volume.set(bars.volume);
  return new BarSeries(bars.instrumentId, c);
}

export interface StressOptions extends QuarantineOptions {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  readonly params: Params;
  readonly seed: number;
  /** Gap scenario: share of bars with a gap (default 0.02) and its size in σ (default 5). */
  readonly gapProbability?: number;
  readonly gapSize?: number;
}

export interface StressScenario {
  readonly name: 'base' | 'volatility x2' | 'gaps' | 'fees x2';
  readonly metrics: TrialMetrics;
}

/** Runs the parameters on the usable bars as they are, with doubled volatility, with gaps and with doubled fees. */
export function stressTest(o: StressOptions): StressScenario[] {
  const q = quarantineOf(o.bars, o);
  const w = { from: 0, to: q.usableEnd };
  const cfg = o.spec.config ?? {};
  const fee = cfg.commission ?? 0;
  const feeFixed = cfg.commissionFixed;
  const doubled: BacktestSpec = {
    ...o.spec,
    config: {
      ...cfg,
      commission: 2 * fee,
      ...(feeFixed !== undefined ? { commissionFixed: 2 * feeFixed } : {}),
    },
  };
  return [
    { name: 'base', metrics: runTrial(o.bars, o.spec, o.params, w).metrics },
    { name: 'volatility x2', metrics: runTrial(scaleVolatility(o.bars, 2), o.spec, o.params, w).metrics },
    {
      name: 'gaps',
      metrics: runTrial(
        insertGaps(o.bars, { probability: o.gapProbability ?? 0.02, size: o.gapSize ?? 5, seed: o.seed }),
        o.spec,
        o.params,
        w,
      ).metrics,
    },
    { name: 'fees x2', metrics: runTrial(o.bars, doubled, o.params, w).metrics },
  ];
}

function cols(n: number) {
  return {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}
