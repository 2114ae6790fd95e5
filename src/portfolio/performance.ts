import * as A from './analytics.js';
import { dataPeriod, median, weekendShare } from './timeseries.js';
import { MICROS_PER_DAY } from '../model/index.js';

/**
 * The performance metrics of a dated return series (what `tickerml analyze` prints), each computed by
 * the empyrical-convention functions of analytics.ts: nothing is reimplemented here, this file only picks
 * the inputs (per-period risk-free rate, alignment with a benchmark) and the names.
 */

/** The metric names, in print order (JSON keys; snake case as empyrical / pyfolio name them). */
export const METRIC_KEYS = [
  'total_return',
  'annual_return',
  'annual_volatility',
  'sharpe',
  'sortino',
  'calmar',
  'omega',
  'max_drawdown',
  'downside_risk',
  'stability',
  'tail_ratio',
  'var_95',
  'cvar_95',
  'information_ratio',
  'tracking_error',
  'alpha',
  'beta',
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];
export type Metrics = Record<MetricKey, number>;

/** Metrics that are fractions (printed as percentages); the rest are ratios. */
export const FRACTION_METRICS: ReadonlySet<MetricKey> = new Set([
  'total_return',
  'annual_return',
  'annual_volatility',
  'max_drawdown',
  'downside_risk',
  'var_95',
  'cvar_95',
  'tracking_error',
  'alpha',
]);

export interface PerformanceInput {
  /** Simple returns as fractions; NaN is a missing period. */
  readonly returns: ArrayLike<number>;
  /** Benchmark returns aligned with `returns` (NaN where the benchmark has none). */
  readonly benchmark?: ArrayLike<number> | undefined;
  readonly periodsPerYear: number;
  /** Annual risk-free rate (turned per period: (1 + R)^(1/ppy) − 1). */
  readonly riskFree?: number;
  /** Annual required return for Omega, Sortino and downside risk (turned per period the same way). */
  readonly requiredReturn?: number;
}

/** An annual rate as a per-period rate: (1 + R)^(1/ppy) − 1 (empyrical's omega_ratio conversion). */
export function perPeriodRate(annual: number, periodsPerYear: number): number {
  return periodsPerYear === 1 ? annual : (1 + annual) ** (1 / periodsPerYear) - 1;
}

/**
 * Every metric on empyrical's conventions: missing values dropped (the annual return still counts every
 * period, as empyrical's annual_return), sample standard deviations, geometric annual return, compounded
 * alpha, information ratio per period (not annualized), VaR / CVaR as returns (negative for a loss).
 * Without a benchmark, information_ratio, tracking_error, alpha and beta are NaN.
 */
export function performanceMetrics(input: PerformanceInput): Metrics {
  const { returns: r, benchmark: b, periodsPerYear: ppy } = input;
  const rf = perPeriodRate(input.riskFree ?? 0, ppy);
  const req = perPeriodRate(input.requiredReturn ?? 0, ppy);
  const cum = A.cumReturns(r);
  return {
    total_return: cum.length ? cum[cum.length - 1]! : Number.NaN,
    annual_return: A.annualReturn(r, ppy),
    annual_volatility: A.annualVolatility(r, ppy),
    sharpe: A.sharpe(r, rf, ppy),
    sortino: A.sortino(r, req, ppy),
    calmar: A.calmar(r, ppy),
    omega: A.omega(r, rf, input.requiredReturn ?? 0, ppy),
    max_drawdown: A.maxDrawdown(r),
    downside_risk: A.downsideRisk(r, req, ppy),
    stability: A.stability(r),
    tail_ratio: A.tailRatio(r),
    var_95: A.valueAtRisk(r, 0.05),
    cvar_95: A.conditionalValueAtRisk(r, 0.05),
    information_ratio: b ? A.informationRatio(r, b) : Number.NaN,
    tracking_error: b ? A.trackingError(r, b, ppy) : Number.NaN,
    alpha: b ? A.alpha(r, b, rf, ppy) : Number.NaN,
    beta: b ? A.beta(r, b, rf) : Number.NaN,
  };
}

/** Values of `other` at each of `ts` where it has exactly that date, NaN elsewhere (a join on dates). */
export function alignOnDates(
  ts: readonly number[],
  otherTs: readonly number[],
  other: readonly number[],
): number[] {
  const at = new Map<number, number>();
  for (let i = 0; i < otherTs.length; i++) at.set(otherTs[i]!, other[i]!);
  return ts.map((t) => at.get(t) ?? Number.NaN);
}

/** The last value of `other` at or before each of `ts` (NaN before its first date). */
export function forwardFillOnDates(
  ts: readonly number[],
  otherTs: readonly number[],
  other: readonly number[],
): number[] {
  const out: number[] = [];
  let j = -1;
  for (const t of ts) {
    while (j + 1 < otherTs.length && otherTs[j + 1]! <= t) j++;
    out.push(j >= 0 ? other[j]! : Number.NaN);
  }
  return out;
}

export interface InferredPeriods {
  readonly periodsPerYear: number;
  /** Why, in words: "daily dates without weekends → 252". */
  readonly reason: string;
}

/**
 * Periods per year from the dates: median spacing of about a year, quarter, month or week → 1, 4, 12,
 * 52; about a day → 252 when (almost) no dates fall on weekends, else 365; intraday → the median number
 * of dates per UTC day × 252 or 365 by the same weekend test; any other spacing → 365.25 days / spacing.
 */
export function inferPeriodsPerYear(ts: readonly number[]): InferredPeriods {
  if (ts.length < 3) return { periodsPerYear: 252, reason: 'too few dates to tell: 252 (the default)' };
  const days = dataPeriod(ts) / MICROS_PER_DAY;
  // backtesting.py's test: fewer than 60% of the weekend dates one would expect → markets closed on weekends.
  const weekends = weekendShare(ts) > (2 / 7) * 0.6;
  const spacing = `median spacing ${days >= 1 ? `${+days.toFixed(2)} days` : `${+(days * 24 * 60).toFixed(2)} minutes`}`;
  const within = (lo: number, hi: number) => days >= lo && days <= hi;
  if (within(300, 400)) return { periodsPerYear: 1, reason: `yearly dates (${spacing}) → 1` };
  if (within(80, 100)) return { periodsPerYear: 4, reason: `quarterly dates (${spacing}) → 4` };
  if (within(25, 35)) return { periodsPerYear: 12, reason: `monthly dates (${spacing}) → 12` };
  if (within(6, 8)) return { periodsPerYear: 52, reason: `weekly dates (${spacing}) → 52` };
  if (within(0.9, 4))
    return weekends
      ? { periodsPerYear: 365, reason: `daily dates including weekends (${spacing}) → 365` }
      : { periodsPerYear: 252, reason: `daily dates without weekends (${spacing}) → 252` };
  if (days < 0.9) {
    const perDay = new Map<number, number>();
    for (const t of ts) {
      const d = Math.floor(t / MICROS_PER_DAY);
      perDay.set(d, (perDay.get(d) ?? 0) + 1);
    }
    const n = Math.round(median([...perDay.values()]));
    const d = weekends ? 365 : 252;
    return {
      periodsPerYear: n * d,
      reason: `intraday dates (${spacing}, median ${n} a day, ${weekends ? 'including' : 'without'} weekends) → ${n} × ${d} = ${n * d}`,
    };
  }
  const ppy = Math.max(1, Math.round(365.25 / days));
  return { periodsPerYear: ppy, reason: `${spacing} → 365.25 / ${+days.toFixed(2)} ≈ ${ppy}` };
}
