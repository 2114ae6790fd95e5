import { Random } from '../core/index.js';
import { BarSeries, MICROS_PER_DAY, instrumentId } from '../model/index.js';

export interface RandomWalkOptions {
  readonly seed: number;
  /** Mean log return per bar (default 0). */
  readonly drift?: number;
  /** Deviation of the log return per bar (default 0.01). */
  readonly volatility?: number;
  readonly start?: number;
  readonly id?: string;
}

/**
 * `n` daily bars (every calendar day) of a seeded geometric random walk: data with no edge at all, on
 * which any Sharpe an optimizer finds is overfitting. Used by the research tests and examples.
 */
export function dailyRandomWalk(n: number, o: RandomWalkOptions): BarSeries {
  const rnd = new Random(o.seed);
  const cols = {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  const t0 = o.start ?? Date.UTC(2020, 0, 1) * 1000;
  const vol = o.volatility ?? 0.01;
  let p = 100;
  for (let i = 0; i < n; i++) {
    const open = p;
    const close = Math.round(open * Math.exp(rnd.normal(o.drift ?? 0, vol)) * 100) / 100;
    cols.ts[i] = t0 + i * MICROS_PER_DAY;
    cols.open[i] = open;
    cols.close[i] = close;
    cols.high[i] = Math.round(Math.max(open, close) * (1 + Math.abs(rnd.normal(0, vol / 4))) * 100) / 100;
    cols.low[i] = Math.round(Math.min(open, close) * (1 - Math.abs(rnd.normal(0, vol / 4))) * 100) / 100;
    cols.volume[i] = 1000 + rnd.int(1000);
    p = close;
  }
  return new BarSeries(instrumentId(o.id ?? 'WALK'), cols);
}
