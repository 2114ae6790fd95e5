import type { ClosedTrade } from './trades.js';
import {
  type ResampleRule,
  ceilTo,
  dataPeriod,
  formatDuration,
  isoDate,
  resampleLast,
  resolutionOf,
  weekendShare,
} from './timeseries.js';
import { MICROS_PER_DAY } from '../model/index.js';

/** Statistic values keyed by the names backtesting.py prints (so users' scripts keep working). */
export type Stats = Record<string, number | string>;

export interface StatsInput {
  /** Timestamp of each step (µs). */
  readonly ts: ArrayLike<number>;
  /** Equity at each step's close. */
  readonly equity: ArrayLike<number>;
  /** Closed trades with entry/exit steps. */
  readonly trades: readonly ClosedTrade[];
  /** Benchmark close at each step (the first instrument): Buy & Hold, Alpha and Beta. */
  readonly benchmark: ArrayLike<number>;
  /** The step from which the strategy could act (its warm-up); Buy & Hold starts there. */
  readonly warmup?: number;
  /** Annual risk-free rate as a fraction (default 0). */
  readonly riskFreeRate?: number;
  /**
   * Trade P&L and return net of both legs' fees (default). backtesting.py 0.6's published output
   * reports them gross (fees reduce cash, not the trade), so compat mode passes false.
   */
  readonly tradesNetOfFees?: boolean;
}

const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;

/** The largest element (a loop: spreading 100,000+ values into Math.max overflows the stack). */
function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** Sample variance (ddof = 1), as pandas' default. */
export function sampleVariance(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (n - 1);
}

/**
 * Geometric mean return. NaN counts as a zero return and stays in the count; any return <= -100% makes
 * it 0 (backtesting.py's `geometric_mean`).
 */
export function geometricMean(returns: readonly number[]): number {
  if (returns.length === 0) return Number.NaN;
  let s = 0;
  for (const r of returns) {
    const x = (Number.isNaN(r) ? 0 : r) + 1;
    if (x <= 0) return 0;
    s += Math.log(x);
  }
  return Math.exp(s / returns.length) - 1;
}

/** The annualization: periods per year and the resampling rule, from the bar spacing and weekday pattern. */
export function annualization(ts: ArrayLike<number>): {
  periodsPerYear: number;
  rule: ResampleRule;
  periodUs: number;
} {
  const periodUs = dataPeriod(ts);
  const fd = Math.floor(periodUs / MICROS_PER_DAY);
  if (fd === 7) return { periodsPerYear: 52, rule: 'W', periodUs };
  if (fd === 31) return { periodsPerYear: 12, rule: 'ME', periodUs };
  if (fd === 365) return { periodsPerYear: 1, rule: 'YE', periodUs };
  return { periodsPerYear: weekendShare(ts) > (2 / 7) * 0.6 ? 365 : 252, rule: 'D', periodUs };
}

export function drawdowns(equity: ArrayLike<number>): Float64Array {
  const dd = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    peak = Math.max(peak, equity[i]!);
    dd[i] = 1 - equity[i]! / peak;
  }
  return dd;
}

/**
 * Computes the statistics. Conventions (docs/STATISTICS.md): equity is resampled to the period (daily for
 * intraday and daily data) before returns are taken; annualization uses 252 periods a year for data
 * without weekends and 365 with them (52, 12, 1 for weekly, monthly, yearly bars); returns are simple;
 * deviations are sample deviations (ddof = 1); the risk-free rate is 0 unless given; durations are
 * rounded up to the data's resolution. These follow backtesting.py 0.6 so that its users' numbers
 * reproduce.
 */
export function computeStats(input: StatsInput): Stats {
  const { ts, equity, trades, benchmark } = input;
  const n = equity.length;
  const rf = input.riskFreeRate ?? 0;
  const s: Stats = {};
  if (n === 0) return s;
  const { periodsPerYear: D, rule, periodUs } = annualization(ts);
  const res = resolutionOf(periodUs);

  s['Start'] = isoDate(ts[0]!);
  s['End'] = isoDate(ts[n - 1]!);
  s['Duration'] = formatDuration(ts[n - 1]! - ts[0]!);

  const have = new Uint8Array(n);
  for (const t of trades) have.fill(1, Math.max(0, t.entryBar), Math.min(n, t.exitBar + 1));
  let exposed = 0;
  for (let i = 0; i < n; i++) exposed += have[i]!;
  s['Exposure Time [%]'] = (exposed / n) * 100;

  let peakEq = -Infinity;
  for (let i = 0; i < n; i++) peakEq = Math.max(peakEq, equity[i]!);
  s['Equity Final [$]'] = equity[n - 1]!;
  s['Equity Peak [$]'] = peakEq;
  const commissions = trades.reduce((a, t) => a + t.fees, 0);
  if (commissions) s['Commissions [$]'] = commissions;
  const totalReturn = (equity[n - 1]! - equity[0]!) / equity[0]!;
  s['Return [%]'] = totalReturn * 100;
  const w = Math.min(Math.max(0, input.warmup ?? 0), n - 1);
  const bh = (benchmark[n - 1]! - benchmark[w]!) / benchmark[w]!;
  s['Buy & Hold Return [%]'] = bh * 100;

  const resampled = resampleLast(ts, equity, rule);
  const dr: number[] = [Number.NaN];
  for (let i = 1; i < resampled.length; i++) dr.push(resampled[i]! / resampled[i - 1]! - 1);
  const g = geometricMean(dr);
  const valid = dr.slice(1);
  const annReturn = (1 + g) ** D - 1;
  const v = sampleVariance(valid);
  const annVol = Math.sqrt((v + (1 + g) ** 2) ** D - (1 + g) ** (2 * D));
  s['Return (Ann.) [%]'] = annReturn * 100;
  s['Volatility (Ann.) [%]'] = annVol * 100;
  const durUs = ts[n - 1]! - ts[0]!;
  const years = durUs / MICROS_PER_DAY / D;
  s['CAGR [%]'] = years > 0 ? ((equity[n - 1]! / equity[0]!) ** (1 / years) - 1) * 100 : Number.NaN;
  s['Sharpe Ratio'] = annVol ? (annReturn * 100 - rf * 100) / (annVol * 100) : Number.NaN;
  const downside = Math.sqrt(mean(valid.map((x) => Math.min(x, 0) ** 2))) * Math.sqrt(D);
  s['Sortino Ratio'] = downside ? (annReturn - rf) / downside : annReturn - rf > 0 ? Infinity : Number.NaN;

  const dd = drawdowns(equity);
  let maxDD = 0;
  for (let i = 0; i < n; i++) if (dd[i]! > maxDD) maxDD = dd[i]!;
  s['Calmar Ratio'] = maxDD ? annReturn / maxDD : Number.NaN;

  // Alpha and Beta from log returns of equity and of the benchmark over every step (two passes over
  // typed arrays: these run over every bar, a million for a year of minutes).
  const steps = n - 1;
  let beta = Number.NaN;
  if (steps >= 2) {
    const la = new Float64Array(steps);
    const lm = new Float64Array(steps);
    let sa = 0;
    let sm = 0;
    for (let k = 1; k < n; k++) {
      // Flat stretches (no position) leave equity unchanged: log(1) is exactly 0, without the call.
      const e0 = equity[k - 1]!;
      const e1 = equity[k]!;
      la[k - 1] = e1 === e0 && e0 > 0 ? 0 : Math.log(e1 / e0);
      lm[k - 1] = Math.log(benchmark[k]! / benchmark[k - 1]!);
      sa += la[k - 1]!;
      sm += lm[k - 1]!;
    }
    const ma = sa / steps;
    const mm = sm / steps;
    let cov = 0;
    let vm = 0;
    for (let k = 0; k < steps; k++) {
      cov += (la[k]! - ma) * (lm[k]! - mm);
      vm += (lm[k]! - mm) ** 2;
    }
    beta = cov / vm;
  }
  s['Alpha [%]'] = totalReturn * 100 - rf * 100 - beta * (bh * 100 - rf * 100);
  s['Beta'] = beta;

  s['Max. Drawdown [%]'] = -maxDD * 100;
  const zeros: number[] = [];
  for (let i = 0; i < n; i++) if (dd[i] === 0) zeros.push(i);
  if (zeros[zeros.length - 1] !== n - 1) zeros.push(n - 1);
  const ddPeaks: number[] = [];
  const ddDurs: number[] = [];
  for (let k = 1; k < zeros.length; k++) {
    const p = zeros[k - 1]!;
    const q = zeros[k]!;
    if (q <= p + 1) continue;
    let pk = 0;
    for (let i = p; i <= q; i++) pk = Math.max(pk, dd[i]!);
    ddPeaks.push(pk);
    ddDurs.push(ts[q]! - ts[p]!);
  }
  s['Avg. Drawdown [%]'] = ddPeaks.length ? -mean(ddPeaks) * 100 : Number.NaN;
  s['Max. Drawdown Duration'] = ddDurs.length ? formatDuration(ceilTo(maxOf(ddDurs), res)) : 'NaN';
  s['Avg. Drawdown Duration'] = ddDurs.length ? formatDuration(ceilTo(mean(ddDurs), res)) : 'NaN';

  const net = input.tradesNetOfFees ?? true;
  const pl = trades.map((t) => (net ? t.pnl : t.pnl + t.fees));
  const R = trades.map((t) => (net ? t.returnPct : Math.sign(t.size) * (t.exitPrice / t.entryPrice - 1)));
  const durs = trades.map((t) => t.exitTs - t.entryTs);
  const N = trades.length;
  s['# Trades'] = N;
  const winRate = N ? pl.filter((x) => x > 0).length / N : Number.NaN;
  s['Win Rate [%]'] = winRate * 100;
  s['Best Trade [%]'] = N ? maxOf(R) * 100 : Number.NaN;
  s['Worst Trade [%]'] = N ? -maxOf(R.map((x) => -x)) * 100 : Number.NaN;
  s['Avg. Trade [%]'] = N ? geometricMean(R) * 100 : Number.NaN;
  s['Max. Trade Duration'] = N ? formatDuration(ceilTo(maxOf(durs), res)) : 'NaN';
  s['Avg. Trade Duration'] = N ? formatDuration(ceilTo(mean(durs), res)) : 'NaN';
  const gains = R.filter((x) => x > 0).reduce((x, y) => x + y, 0);
  const losses = Math.abs(R.filter((x) => x < 0).reduce((x, y) => x + y, 0));
  s['Profit Factor'] = losses ? gains / losses : Number.NaN;
  s['Expectancy [%]'] = mean(R) * 100;
  const sd = Math.sqrt(sampleVariance(pl));
  s['SQN'] = sd ? (Math.sqrt(N) * mean(pl)) / sd : Number.NaN;
  const wins = pl.filter((x) => x > 0);
  const lossesPl = pl.filter((x) => x < 0);
  s['Kelly Criterion'] = winRate - (1 - winRate) / (mean(wins) / -mean(lossesPl));
  return s;
}

/** Stats as JSON-safe values: NaN and ±Infinity become null. */
export function statsToJson(s: Stats): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const [k, v] of Object.entries(s)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
  return out;
}
