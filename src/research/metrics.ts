import { annualization } from '../portfolio/stats.js';
import { bucketOf, resampleLast } from '../portfolio/timeseries.js';

/** What a research run scores a backtest by. Fractions, not percent. */
export type TrialMetrics = {
  /** Final equity / first equity − 1. */
  readonly totalReturn: number;
  /** Annualized Sharpe ratio of period returns (risk-free 0); NaN when the equity never moved. */
  readonly sharpe: number;
  /** Largest peak-to-trough fall of equity as a positive fraction (0.25 = 25%). */
  readonly maxDrawdown: number;
  readonly trades: number;
};

export type MetricName = keyof TrialMetrics;

/**
 * The Sharpe ratio used throughout src/research: equity resampled to the period computeStats uses (daily
 * for daily and intraday bars), simple period returns, mean / sample deviation × √(periods per year).
 * This is the textbook (arithmetic) Sharpe that the deflated Sharpe ratio and PBO papers assume, not
 * backtesting.py's geometric variant in computeStats.
 */
export function periodReturns(
  ts: ArrayLike<number>,
  equity: ArrayLike<number>,
): { returns: number[]; periodsPerYear: number } {
  if (equity.length === 0) return { returns: [], periodsPerYear: 252 };
  const { periodsPerYear, rule } = annualization(ts);
  const closes = resampleLast(ts, equity, rule);
  // The first period's return is measured from the first bar only when that period holds more bars.
  const firstAlone = ts.length < 2 || bucketOf(ts[0]!, rule) !== bucketOf(ts[1]!, rule);
  const returns: number[] = [];
  let prev = firstAlone ? closes[0]! : equity[0]!;
  for (let i = firstAlone ? 1 : 0; i < closes.length; i++) {
    const c = closes[i]!;
    returns.push(prev > 0 ? c / prev - 1 : 0);
    prev = c;
  }
  return { returns, periodsPerYear };
}

/** Annualized Sharpe of a return series (mean / sample sd × √periods). NaN for fewer than 2 returns or sd 0. */
export function sharpeOf(returns: ArrayLike<number>, periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return Number.NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += returns[i]!;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (returns[i]! - m) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  return sd > 0 ? (m / sd) * Math.sqrt(periodsPerYear) : Number.NaN;
}

export function maxDrawdownOf(equity: ArrayLike<number>): number {
  let peak = -Infinity;
  let dd = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    else if (peak > 0 && 1 - e / peak > dd) dd = 1 - e / peak;
  }
  return dd;
}

export function equityMetrics(
  ts: ArrayLike<number>,
  equity: ArrayLike<number>,
  trades: number,
): TrialMetrics {
  const n = equity.length;
  if (n === 0) return { totalReturn: 0, sharpe: Number.NaN, maxDrawdown: 0, trades };
  const { returns, periodsPerYear } = periodReturns(ts, equity);
  return {
    totalReturn: equity[n - 1]! / equity[0]! - 1,
    sharpe: sharpeOf(returns, periodsPerYear),
    maxDrawdown: maxDrawdownOf(equity),
    trades,
  };
}
