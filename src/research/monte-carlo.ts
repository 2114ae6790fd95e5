import { Random } from '../core/index.js';
import { type BarSeries, invalid } from '../model/index.js';
import { maxDrawdownOf, periodReturns, sharpeOf } from './metrics.js';
import type { Params } from './param-space.js';
import {
  type Quarantine,
  type QuarantineOptions,
  assertBeforeQuarantine,
  quarantineOf,
} from './quarantine.js';
import { type BacktestSpec, runTrial } from './trial.js';

/** A two-sided percentile interval of a resampled statistic. */
export interface ConfidenceInterval {
  readonly level: number;
  readonly low: number;
  readonly median: number;
  readonly high: number;
}

export interface ResampleOptions {
  readonly paths: number;
  readonly seed: number;
  /** Two-sided confidence level (default 0.9: the 5th and 95th percentiles). */
  readonly level?: number;
}

export interface TradeResampling {
  readonly mode: 'shuffle' | 'bootstrap';
  readonly totalReturn: ConfidenceInterval;
  readonly maxDrawdown: ConfidenceInterval;
}

/**
 * Trade-order resampling: each path compounds the closed trades' returns in a new order ('shuffle', a
 * permutation: the final return is unchanged, the drawdown is not) or drawn with replacement
 * ('bootstrap': the final return varies too). Assumes each trade risked the whole equity, as sma-cross does.
 */
export function resampleTrades(
  tradeReturns: ArrayLike<number>,
  mode: 'shuffle' | 'bootstrap',
  o: ResampleOptions,
): TradeResampling {
  const n = tradeReturns.length;
  if (n < 2) throw invalid('trades', n, 'needs at least 2 closed trades to resample');
  const { paths, level } = checkResample(o);
  const rnd = new Random(o.seed);
  const ret = new Float64Array(paths);
  const dd = new Float64Array(paths);
  const order = new Float64Array(n);
  const eq = new Float64Array(n + 1);
  for (let p = 0; p < paths; p++) {
    if (mode === 'shuffle') {
      order.set(tradeReturns as ArrayLike<number>);
      for (let i = n - 1; i > 0; i--) {
        const j = rnd.int(i + 1);
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
    } else for (let i = 0; i < n; i++) order[i] = tradeReturns[rnd.int(n)]!;
    eq[0] = 1;
    for (let i = 0; i < n; i++) eq[i + 1] = eq[i]! * (1 + order[i]!);
    ret[p] = eq[n]! - 1;
    dd[p] = maxDrawdownOf(eq);
  }
  return { mode, totalReturn: interval(ret, level), maxDrawdown: interval(dd, level) };
}

export interface BootstrapOptions extends ResampleOptions {
  /** Returns per block (default ⌈n^(1/3)⌉, the usual rate for block bootstraps). */
  readonly blockLength?: number;
  readonly periodsPerYear: number;
}

export interface ReturnBootstrap {
  readonly blockLength: number;
  readonly totalReturn: ConfidenceInterval;
  readonly maxDrawdown: ConfidenceInterval;
  readonly sharpe: ConfidenceInterval;
}

/**
 * Circular block bootstrap of period returns (Politis & Romano, "A circular block-resampling procedure for
 * stationary data", 1992): paths of the same length glued from blocks of consecutive returns starting at
 * uniform positions (wrapping around), which keeps the autocorrelation within a block that an i.i.d.
 * bootstrap would destroy.
 */
export function blockBootstrap(returns: ArrayLike<number>, o: BootstrapOptions): ReturnBootstrap {
  const n = returns.length;
  if (n < 4) throw invalid('returns', n, 'needs at least 4 returns to bootstrap');
  const { paths, level } = checkResample(o);
  const L = o.blockLength ?? Math.ceil(Math.cbrt(n));
  if (!Number.isInteger(L) || L < 1 || L > n)
    throw invalid('blockLength', L, `must be an integer in [1, ${n}]`);
  const rnd = new Random(o.seed);
  const ret = new Float64Array(paths);
  const dd = new Float64Array(paths);
  const sr = new Float64Array(paths);
  const path = new Float64Array(n);
  const eq = new Float64Array(n + 1);
  for (let p = 0; p < paths; p++) {
    for (let i = 0; i < n;) {
      const start = rnd.int(n);
      for (let k = 0; k < L && i < n; k++, i++) path[i] = returns[(start + k) % n]!;
    }
    eq[0] = 1;
    for (let i = 0; i < n; i++) eq[i + 1] = eq[i]! * (1 + path[i]!);
    ret[p] = eq[n]! - 1;
    dd[p] = maxDrawdownOf(eq);
    sr[p] = sharpeOf(path, o.periodsPerYear);
  }
  return {
    blockLength: L,
    totalReturn: interval(ret, level),
    maxDrawdown: interval(dd, level),
    sharpe: interval(sr, level),
  };
}

export interface MonteCarloOptions extends QuarantineOptions {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  readonly params: Params;
  readonly paths?: number;
  readonly seed: number;
  readonly level?: number;
  readonly blockLength?: number;
}

export interface MonteCarloResult {
  readonly trades: number;
  readonly shuffled: TradeResampling;
  readonly bootstrappedTrades: TradeResampling;
  readonly returns: ReturnBootstrap;
  readonly quarantine: Quarantine;
}

/** `tickerml montecarlo`: one backtest of `params` on the usable bars, then both resamplings. */
export function monteCarlo(o: MonteCarloOptions): MonteCarloResult {
  const q = quarantineOf(o.bars, o);
  assertBeforeQuarantine(o.bars, q, q.usableEnd, 'monte carlo');
  const run = runTrial(o.bars, o.spec, o.params, { from: 0, to: q.usableEnd });
  const r = { paths: o.paths ?? 1000, seed: o.seed, ...(o.level !== undefined ? { level: o.level } : {}) };
  const { returns, periodsPerYear } = periodReturns(run.ts, run.equity);
  return {
    trades: run.tradeReturns.length,
    shuffled: resampleTrades(run.tradeReturns, 'shuffle', r),
    bootstrappedTrades: resampleTrades(run.tradeReturns, 'bootstrap', { ...r, seed: o.seed + 1 }),
    returns: blockBootstrap(returns, {
      ...r,
      seed: o.seed + 2,
      periodsPerYear,
      ...(o.blockLength ? { blockLength: o.blockLength } : {}),
    }),
    quarantine: q,
  };
}

function checkResample(o: ResampleOptions): { paths: number; level: number } {
  if (!Number.isInteger(o.paths) || o.paths < 10) throw invalid('paths', o.paths, 'must be an integer >= 10');
  const level = o.level ?? 0.9;
  if (!(level > 0 && level < 1)) throw invalid('level', level, 'must be in (0, 1)');
  return { paths: o.paths, level };
}

/** Percentile interval (linear interpolation between order statistics); NaN samples are dropped. */
export function interval(xs: Float64Array, level: number): ConfidenceInterval {
  const v = Float64Array.from(xs.filter((x) => !Number.isNaN(x))).sort();
  const q = (p: number) => {
    const h = (v.length - 1) * p;
    const lo = Math.floor(h);
    return v[lo]! + (h - lo) * (v[Math.min(lo + 1, v.length - 1)]! - v[lo]!);
  };
  return { level, low: q((1 - level) / 2), median: q(0.5), high: q(1 - (1 - level) / 2) };
}
