import { type BarSeries, MICROS_PER_DAY, invalid } from '../model/index.js';
import { contiguousGroups } from './combinations.js';
import { type DeflatedSharpe, deflatedSharpe, moments } from './deflated-sharpe.js';
import { type PboResult, probabilityOfOverfitting } from './overfitting.js';
import type { Params, ParamSpace } from './param-space.js';
import { cpcvPaths, purgedSplits } from './purged-splits.js';
import { type Quarantine, type QuarantineOptions, quarantineOf } from './quarantine.js';
import { type BacktestSpec, runTrial } from './trial.js';

export interface CpcvOptions extends QuarantineOptions {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  readonly space: ParamSpace;
  /** The trials to select among (default: the space's grid). */
  readonly candidates?: readonly Params[];
  /** N contiguous groups (default 6). */
  readonly groups?: number;
  /** k test groups per split (default 2). */
  readonly testGroups?: number;
  /** Bars ahead each bar's return depends on (default 1: a bar's return is known at the next bar). */
  readonly labelHorizonBars?: number;
  /** Bars embargoed after each test block (default 1% of the bars, rounded up). */
  readonly embargoBars?: number;
  /** Row blocks for PBO's CSCV (even; default 10). */
  readonly pboPartitions?: number;
}

export interface DistributionSummary {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly p5: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

export interface CpcvResult {
  readonly candidates: number;
  readonly splits: number;
  /** Per split: the parameters chosen on its purged training bars. */
  readonly chosen: readonly Params[];
  /** Annualized out-of-sample Sharpe and total return of each backtest path. */
  readonly paths: readonly { readonly sharpe: number; readonly totalReturn: number }[];
  readonly pathSharpe: DistributionSummary;
  readonly pbo: PboResult;
  /** The candidate with the best Sharpe on all usable bars, and its deflated Sharpe ratio. */
  readonly selected: { readonly params: Params; readonly sharpe: number; readonly deflated: DeflatedSharpe };
  readonly quarantine: Quarantine;
}

/**
 * `tickerml cpcv`: combinatorial purged cross-validation of a parameter selection (AFML ch. 12). Each
 * candidate is backtested once over the usable bars: a strategy with fixed parameters is causal, so its
 * return on a bar does not depend on later bars, and the split only decides which bars' returns the
 * selection may look at. For each of the C(N, k) splits the candidate with the best Sharpe on the purged,
 * embargoed training bars is chosen and its returns on the test groups are kept; the φ paths assembled
 * from those give a distribution of out-of-sample Sharpe instead of one number. The same return matrix
 * gives the PBO and, for the overall best candidate, the deflated Sharpe ratio.
 */
export function cpcv(o: CpcvOptions): CpcvResult {
  const q = quarantineOf(o.bars, o);
  const n = q.usableEnd;
  const cands = o.candidates ?? o.space.grid();
  if (cands.length < 2)
    throw invalid('candidates', cands.length, 'needs at least 2 candidates to select among');
  for (const c of cands) {
    const why = o.space.violation(c);
    if (why) throw invalid('candidates', c, why);
  }
  const N = o.groups ?? 6;
  const k = o.testGroups ?? 2;
  const horizon = o.labelHorizonBars ?? 1;
  if (!Number.isInteger(horizon) || horizon < 0)
    throw invalid('labelHorizonBars', horizon, 'must be an integer >= 0');
  const embargo = o.embargoBars ?? Math.ceil(0.01 * n);

  // Per-bar returns of every candidate over the usable bars (bar 0 has none: T = n − 1 rows).
  const T = n - 1;
  const cols = cands.map((p) => {
    const r = runTrial(o.bars, o.spec, o.space.complete(p), { from: 0, to: n });
    const out = new Float64Array(T);
    for (let t = 0; t < T; t++) out[t] = r.equity[t + 1]! / r.equity[t]! - 1;
    return out;
  });
  const years = (o.bars.ts[n - 1]! - o.bars.ts[0]!) / (365.25 * MICROS_PER_DAY);
  const annual = Math.sqrt(T / years);

  const labelEnd = Array.from({ length: T }, (_, t) => t + horizon);
  const splits = purgedSplits({ samples: T, labelEnd, groups: N, testGroups: k, embargo });
  const chosenIdx = splits.map((s) => {
    let best = 0;
    let bv = -Infinity;
    cols.forEach((c, j) => {
      const v = sharpeAt(c, s.train);
      if (v > bv) {
        bv = v;
        best = j;
      }
    });
    return best;
  });
  const groupRanges = contiguousGroups(T, N);
  const paths = cpcvPaths(splits, N).map((splitOfGroup) => {
    const r: number[] = [];
    splitOfGroup.forEach((si, g) => {
      const c = cols[chosenIdx[si]!]!;
      for (let t = groupRanges[g]!.from; t < groupRanges[g]!.to; t++) r.push(c[t]!);
    });
    return { sharpe: sharpeAt(r, undefined) * annual, totalReturn: r.reduce((a, x) => a * (1 + x), 1) - 1 };
  });

  const perBar = cols.map((c) => sharpeAt(c, undefined));
  let sel = 0;
  perBar.forEach((v, j) => {
    if (v > perBar[sel]! || Number.isNaN(perBar[sel]!)) sel = j;
  });
  const finite = perBar.filter((v) => Number.isFinite(v));
  const mv = moments(finite);
  const m = moments(cols[sel]!);
  const deflated = deflatedSharpe({
    sharpe: perBar[sel]!,
    trials: cands.length,
    sharpeVariance: mv.variance,
    observations: T,
    skew: m.skew,
    kurtosis: m.kurtosis,
  });
  return {
    candidates: cands.length,
    splits: splits.length,
    chosen: chosenIdx.map((j) => cands[j]!),
    paths,
    pathSharpe: summarize(paths.map((p) => p.sharpe)),
    pbo: probabilityOfOverfitting(cols, o.pboPartitions ?? 10),
    selected: { params: cands[sel]!, sharpe: perBar[sel]! * annual, deflated },
    quarantine: q,
  };
}

/** Per-period Sharpe of `c` over `idx` (all when undefined); −Infinity when it never moved. */
function sharpeAt(c: ArrayLike<number>, idx: readonly number[] | undefined): number {
  const n = idx ? idx.length : c.length;
  if (n < 2) return -Infinity;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = c[idx ? idx[i]! : i]!;
    s += x;
    s2 += x * x;
  }
  const m = s / n;
  const v = (s2 - n * m * m) / (n - 1);
  return v > 1e-20 ? m / Math.sqrt(v) : -Infinity;
}

export function summarize(xs: readonly number[]): DistributionSummary {
  const v = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const n = v.length;
  const q = (p: number) => {
    if (n === 0) return Number.NaN;
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return v[lo]! + (h - lo) * ((v[Math.min(lo + 1, n - 1)] ?? v[lo]!) - v[lo]!);
  };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    mean,
    sd,
    min: v[0] ?? Number.NaN,
    p5: q(0.05),
    median: q(0.5),
    p95: q(0.95),
    max: v[n - 1] ?? Number.NaN,
  };
}
