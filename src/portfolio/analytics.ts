import type { Fill } from '../model/index.js';
import { bucketOf } from './timeseries.js';

/**
 * Performance analytics of a periodic return series, following empyrical's conventions (what pyfolio
 * and quantstats users know): simple returns as fractions, missing values (NaN) dropped unless noted,
 * sample standard deviation (ddof = 1), 252 periods a year unless given, geometric annual return.
 * Reimplemented from the definitions; checked against empyrical's published test values
 * (analytics.test.ts).
 */

export const PERIODS_PER_YEAR = { daily: 252, weekly: 52, monthly: 12, yearly: 1 } as const;

const valid = (r: ArrayLike<number>): number[] => {
  const out: number[] = [];
  for (let i = 0; i < r.length; i++) if (!Number.isNaN(r[i]!)) out.push(r[i]!);
  return out;
};
const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
function std(xs: readonly number[], ddof = 1): number {
  if (xs.length - ddof <= 0) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - ddof));
}
/** Element-wise r − b for a constant or a series of the same length (NaN where either is NaN). */
function minus(r: ArrayLike<number>, b: number | ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < r.length; i++) out.push(r[i]! - (typeof b === 'number' ? b : b[i]!));
  return out;
}

/** Cumulative growth: Π(1 + r) − 1 at each step, NaN counted as 0. */
export function cumReturns(r: ArrayLike<number>): number[] {
  const out: number[] = [];
  let g = 1;
  for (let i = 0; i < r.length; i++) {
    const x = r[i]!;
    if (!Number.isNaN(x)) g *= 1 + x;
    out.push(g - 1);
  }
  return out;
}

/** Largest peak-to-trough fall of cumulative growth, as a negative fraction (0 without one). */
export function maxDrawdown(r: ArrayLike<number>): number {
  if (r.length === 0) return Number.NaN;
  let peak = 1;
  let worst = 0;
  let g = 1;
  for (let i = 0; i < r.length; i++) {
    if (!Number.isNaN(r[i]!)) g *= 1 + r[i]!;
    if (g > peak) peak = g;
    worst = Math.min(worst, g / peak - 1);
  }
  return worst;
}

/** Geometric annual return: (Π(1 + r))^(ppy / n) − 1, n counting every period (empyrical: NaN periods too). */
export function annualReturn(r: ArrayLike<number>, periodsPerYear = 252): number {
  if (r.length === 0) return Number.NaN;
  const growth = 1 + cumReturns(r)[r.length - 1]!;
  return growth ** (periodsPerYear / r.length) - 1;
}

/** Compound annual growth rate; the same definition as annualReturn. */
export const cagr = annualReturn;

export function annualVolatility(r: ArrayLike<number>, periodsPerYear = 252): number {
  const v = valid(r);
  return v.length < 2 ? Number.NaN : std(v) * Math.sqrt(periodsPerYear);
}

/** mean(r − rf) / std(r − rf) × √ppy; rf per period (a constant or a series). */
export function sharpe(
  r: ArrayLike<number>,
  riskFree: number | ArrayLike<number> = 0,
  periodsPerYear = 252,
): number {
  const x = valid(minus(r, riskFree));
  const sd = std(x);
  return x.length < 2 || sd === 0 ? Number.NaN : (mean(x) / sd) * Math.sqrt(periodsPerYear);
}

/** Annualized downside deviation below the required return: √mean(min(r − req, 0)²) × √ppy. */
export function downsideRisk(
  r: ArrayLike<number>,
  required: number | ArrayLike<number> = 0,
  periodsPerYear = 252,
): number {
  const x = valid(minus(r, required));
  if (x.length === 0) return Number.NaN;
  let s = 0;
  for (const d of x) if (d < 0) s += d * d;
  return Math.sqrt(s / x.length) * Math.sqrt(periodsPerYear);
}

/** mean(r − req) × ppy / downsideRisk; +∞ when nothing falls below the requirement and the mean is positive. */
export function sortino(
  r: ArrayLike<number>,
  required: number | ArrayLike<number> = 0,
  periodsPerYear = 252,
): number {
  const x = valid(minus(r, required));
  if (x.length < 2) return Number.NaN;
  const dr = downsideRisk(r, required, periodsPerYear);
  const num = mean(x) * periodsPerYear;
  if (dr === 0) return num > 0 ? Infinity : num < 0 ? -Infinity : Number.NaN;
  return num / dr;
}

/** Annual return / |max drawdown| (NaN without a drawdown). */
export function calmar(r: ArrayLike<number>, periodsPerYear = 252): number {
  const dd = maxDrawdown(r);
  if (!(dd < 0)) return Number.NaN;
  const c = annualReturn(r, periodsPerYear) / Math.abs(dd);
  return Number.isFinite(c) ? c : Number.NaN;
}

/**
 * Omega: Σ gains over the threshold / Σ losses under it, threshold = rf + the annual required return
 * turned per-period ((1 + req)^(1/ppy) − 1; as is when ppy = 1). NaN without losses.
 */
export function omega(
  r: ArrayLike<number>,
  riskFree: number | ArrayLike<number> = 0,
  requiredReturn = 0,
  periodsPerYear = 252,
): number {
  if (r.length < 2) return Number.NaN;
  let thr: number;
  if (periodsPerYear === 1) thr = requiredReturn;
  else if (requiredReturn <= -1) return Number.NaN;
  else thr = (1 + requiredReturn) ** (1 / periodsPerYear) - 1;
  const x = valid(minus(minus(r, riskFree), thr));
  let up = 0;
  let down = 0;
  for (const d of x)
    if (d > 0) up += d;
    else if (d < 0) down -= d;
  return down > 0 ? up / down : Number.NaN;
}

function percentile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** |95th percentile| / |5th percentile| of returns. */
export function tailRatio(r: ArrayLike<number>): number {
  const x = valid(r);
  if (x.length === 0) return Number.NaN;
  return Math.abs(percentile(x, 0.95)) / Math.abs(percentile(x, 0.05));
}

/** The `cutoff` quantile of returns (a negative number for a loss), empyrical's value_at_risk. */
export function valueAtRisk(r: ArrayLike<number>, cutoff = 0.05): number {
  return percentile(valid(r), cutoff);
}

/** Mean of the returns at or below valueAtRisk (empyrical's conditional_value_at_risk). */
export function conditionalValueAtRisk(r: ArrayLike<number>, cutoff = 0.05): number {
  const x = valid(r);
  const v = percentile(x, cutoff);
  return mean(x.filter((d) => d <= v));
}

function aligned(r: ArrayLike<number>, f: ArrayLike<number>): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < r.length; i++)
    if (!Number.isNaN(r[i]!) && !Number.isNaN(f[i]!)) {
      a.push(r[i]!);
      b.push(f[i]!);
    }
  return { a, b };
}

/** Beta to a factor (benchmark): cov(r − rf, f) / var(f) over periods where both exist (population moments). */
export function beta(r: ArrayLike<number>, factor: ArrayLike<number>, riskFree = 0): number {
  const { a, b } = aligned(r, factor);
  if (a.length < 2) return Number.NaN;
  const ma = mean(a) - riskFree;
  const mb = mean(b);
  let c = 0;
  let v = 0;
  for (let i = 0; i < a.length; i++) {
    c += (a[i]! - riskFree - ma) * (b[i]! - mb);
    v += (b[i]! - mb) ** 2;
  }
  return v === 0 ? Number.NaN : c / v;
}

/** Mean per-period alpha: mean(r − rf − β(f − rf)) over aligned periods. */
function periodAlpha(
  r: ArrayLike<number>,
  factor: ArrayLike<number>,
  riskFree: number,
): { alpha: number; beta: number } {
  const b = beta(r, factor, riskFree);
  const { a, b: f } = aligned(r, factor);
  if (a.length < 2 || Number.isNaN(b)) return { alpha: Number.NaN, beta: b };
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! - riskFree - b * (f[i]! - riskFree);
  return { alpha: s / a.length, beta: b };
}

/** Annualized alpha, compounded: (1 + mean period alpha)^ppy − 1 (empyrical ≥ 0.5). */
export function alpha(
  r: ArrayLike<number>,
  factor: ArrayLike<number>,
  riskFree = 0,
  periodsPerYear = 252,
): number {
  const a = periodAlpha(r, factor, riskFree).alpha;
  return (1 + a) ** periodsPerYear - 1;
}

/** Annualized alpha, arithmetic: mean period alpha × ppy (empyrical before 0.5). */
export function alphaArithmetic(
  r: ArrayLike<number>,
  factor: ArrayLike<number>,
  riskFree = 0,
  periodsPerYear = 252,
): number {
  return periodAlpha(r, factor, riskFree).alpha * periodsPerYear;
}

/** Information ratio per period: mean(r − f) / std(r − f) (empyrical's information_ratio / excess_sharpe). */
export function informationRatio(r: ArrayLike<number>, factor: number | ArrayLike<number>): number {
  if (r.length < 2) return Number.NaN;
  const x = valid(minus(r, factor));
  const te = std(x);
  return x.length < 2 || te === 0 ? Number.NaN : mean(x) / te;
}

/** Annualized tracking error: std(r − f) × √ppy. */
export function trackingError(r: ArrayLike<number>, factor: ArrayLike<number>, periodsPerYear = 252): number {
  return std(valid(minus(r, factor))) * Math.sqrt(periodsPerYear);
}

/** R² of a straight-line fit to cumulative log returns (empyrical's stability_of_timeseries). */
export function stability(r: ArrayLike<number>): number {
  const x = valid(r);
  if (x.length < 2) return Number.NaN;
  const y: number[] = [];
  let c = 0;
  for (const d of x) y.push((c += Math.log1p(d)));
  const t = y.map((_, i) => i);
  const mt = mean(t);
  const my = mean(y);
  let sty = 0;
  let stt = 0;
  let syy = 0;
  for (let i = 0; i < y.length; i++) {
    sty += (t[i]! - mt) * (y[i]! - my);
    stt += (t[i]! - mt) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return syy === 0 ? Number.NaN : (sty * sty) / (stt * syy);
}

/** Sharpe over a rolling window of `window` periods (NaN until the window is full). */
export function rollingSharpe(r: ArrayLike<number>, window: number, periodsPerYear = 252): number[] {
  const out: number[] = [];
  for (let i = 0; i < r.length; i++) {
    if (i + 1 < window) out.push(Number.NaN);
    else
      out.push(sharpe(Array.prototype.slice.call(r, i + 1 - window, i + 1) as number[], 0, periodsPerYear));
  }
  return out;
}

export interface PeriodReturn {
  /** 'YYYY-MM' for months, 'YYYY' for years, 'YYYY-Www' (ISO week) for weeks. */
  readonly period: string;
  readonly return: number;
}

function isoWeek(us: number): string {
  // ISO 8601: weeks start on Monday; a week belongs to the year of its Thursday.
  const dayNo = Math.floor(us / 86_400_000_000);
  const mondayBased = (((dayNo + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const thursday = dayNo - mondayBased + 3;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const jan1 = Math.floor(Date.UTC(year, 0, 1) / 86_400_000);
  const week = 1 + Math.floor((thursday - jan1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Compounded returns per calendar week (ISO), month or year (UTC), in time order. */
export function aggregateReturns(
  ts: ArrayLike<number>,
  r: ArrayLike<number>,
  to: 'weekly' | 'monthly' | 'yearly',
): PeriodReturn[] {
  const out: PeriodReturn[] = [];
  let key = '';
  let g = 1;
  for (let i = 0; i < r.length; i++) {
    let k: string;
    if (to === 'weekly') k = isoWeek(ts[i]!);
    else if (to === 'yearly') k = String(bucketOf(ts[i]!, 'YE'));
    else {
      const m = bucketOf(ts[i]!, 'ME');
      k = `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
    }
    if (k !== key) {
      if (key) out.push({ period: key, return: g - 1 });
      key = k;
      g = 1;
    }
    if (!Number.isNaN(r[i]!)) g *= 1 + r[i]!;
  }
  if (key) out.push({ period: key, return: g - 1 });
  return out;
}

/** Simple returns of an equity curve (the first period has none and is dropped). */
export function returnsFromEquity(equity: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) out.push(equity[i]! / equity[i - 1]! - 1);
  return out;
}

/** Turnover: traded notional / average equity (per run; divide by years for an annual figure). */
export function turnover(
  fills: readonly Pick<Fill, 'quantity' | 'price'>[],
  equity: ArrayLike<number>,
  multiplier = 1,
): number {
  let traded = 0;
  for (const f of fills) traded += f.quantity * f.price * multiplier;
  let s = 0;
  for (let i = 0; i < equity.length; i++) s += equity[i]!;
  return equity.length ? traded / (s / equity.length) : Number.NaN;
}

/**
 * Fees and funding as shares of gross P&L (P&L before fees and funding): how much of the edge the costs
 * took. `funding` is paid when positive. NaN when the gross P&L is zero.
 */
export function costShares(o: { netPnl: number; fees: number; funding?: number }): {
  fees: number;
  funding: number;
} {
  const funding = o.funding ?? 0;
  const gross = o.netPnl + o.fees + funding;
  return gross === 0
    ? { fees: Number.NaN, funding: Number.NaN }
    : { fees: o.fees / Math.abs(gross), funding: funding / Math.abs(gross) };
}

export interface StrategyAttribution {
  readonly strategyId: string;
  readonly fills: number;
  readonly tradedNotional: number;
  readonly realizedPnl: number;
  readonly fees: number;
  /** Realized P&L minus fees. */
  readonly netPnl: number;
}

/** Realized P&L, fees and traded notional per strategy, from the fills each strategy's orders produced. */
export function attributionByStrategy(fills: readonly Fill[]): StrategyAttribution[] {
  const by = new Map<string, { fills: number; notional: number; pnl: number; fees: number }>();
  for (const f of fills) {
    let a = by.get(f.strategyId);
    if (!a) by.set(f.strategyId, (a = { fills: 0, notional: 0, pnl: 0, fees: 0 }));
    a.fills++;
    a.notional += f.quantity * f.price;
    a.pnl += f.realizedPnl;
    a.fees += f.fee;
  }
  return [...by.entries()].map(([strategyId, a]) => ({
    strategyId,
    fills: a.fills,
    tradedNotional: a.notional,
    realizedPnl: a.pnl,
    fees: a.fees,
    netPnl: a.pnl - a.fees,
  }));
}
