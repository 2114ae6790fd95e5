import { invalid } from '../model/index.js';
import { combinations } from './combinations.js';

export interface PboResult {
  /** Probability of backtest overfitting: the share of splits whose in-sample best ranks in the bottom half out of sample. */
  readonly pbo: number;
  /** λ = ln(ω / (1 − ω)) per split, ω the out-of-sample relative rank of the in-sample best. */
  readonly logits: readonly number[];
  /** In-sample and out-of-sample Sharpe (per period) of the in-sample best, per split: the degradation scatter. */
  readonly inSampleSharpe: readonly number[];
  readonly outOfSampleSharpe: readonly number[];
  /** Share of splits whose in-sample best lost money out of sample. */
  readonly probabilityOfLoss: number;
  readonly splits: number;
}

/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein,
 * López de Prado & Zhu, "The Probability of Backtest Overfitting", J. Computational Finance 20(4), 2017,
 * §2.2): the T × N matrix of returns (rows: periods, columns: trials) is cut into S row blocks; for each
 * of the C(S, S/2) halves as in-sample, the trial with the best in-sample Sharpe is ranked among all
 * trials on the other half; PBO is the share of halves where it ranks at or below the median (λ ≤ 0).
 * `columns[j]` holds trial j's returns.
 */
export function probabilityOfOverfitting(columns: readonly ArrayLike<number>[], partitions = 16): PboResult {
  const N = columns.length;
  if (N < 2) throw invalid('trials', N, 'needs at least 2 trials to select among');
  const T = columns[0]!.length;
  for (let j = 1; j < N; j++)
    if (columns[j]!.length !== T)
      throw invalid(`columns[${j}].length`, columns[j]!.length, `must equal ${T}`);
  if (!Number.isInteger(partitions) || partitions < 2 || partitions % 2 !== 0 || partitions > T)
    throw invalid('partitions', partitions, `must be an even integer in [2, ${T}]`);
  // Per block and trial: count, sum and sum of squares, so each half's Sharpe costs O(S) not O(T).
  const S = partitions;
  const cnt = new Float64Array(S);
  const sum = new Float64Array(S * N);
  const sq = new Float64Array(S * N);
  for (let s = 0; s < S; s++) {
    const from = Math.floor((s * T) / S);
    const to = Math.floor(((s + 1) * T) / S);
    cnt[s] = to - from;
    for (let j = 0; j < N; j++) {
      const c = columns[j]!;
      let a = 0;
      let b = 0;
      for (let t = from; t < to; t++) {
        a += c[t]!;
        b += c[t]! * c[t]!;
      }
      sum[s * N + j] = a;
      sq[s * N + j] = b;
    }
  }
  const sharpeOver = (blocks: readonly number[], out: Float64Array): void => {
    for (let j = 0; j < N; j++) {
      let n = 0;
      let a = 0;
      let b = 0;
      for (const s of blocks) {
        n += cnt[s]!;
        a += sum[s * N + j]!;
        b += sq[s * N + j]!;
      }
      const m = a / n;
      const v = (b - n * m * m) / (n - 1);
      out[j] = v > 0 ? m / Math.sqrt(v) : m > 0 ? Infinity : m < 0 ? -Infinity : 0;
    }
  };
  const combos = combinations(S, S / 2);
  const isR = new Float64Array(N);
  const oosR = new Float64Array(N);
  const logits: number[] = [];
  const isBest: number[] = [];
  const oosBest: number[] = [];
  let overfit = 0;
  let losses = 0;
  for (const train of combos) {
    const inTrain = new Set(train);
    const test: number[] = [];
    for (let s = 0; s < S; s++) if (!inTrain.has(s)) test.push(s);
    sharpeOver(train, isR);
    sharpeOver(test, oosR);
    let best = 0;
    for (let j = 1; j < N; j++) if (isR[j]! > isR[best]!) best = j;
    // Rank 1 = worst out of sample; ties count against the selection (1 + number strictly worse).
    let rank = 1;
    for (let j = 0; j < N; j++) if (oosR[j]! < oosR[best]!) rank++;
    const w = rank / (N + 1);
    const lambda = Math.log(w / (1 - w));
    logits.push(lambda);
    isBest.push(isR[best]!);
    oosBest.push(oosR[best]!);
    if (lambda <= 0) overfit++;
    if (oosR[best]! < 0) losses++;
  }
  return {
    pbo: overfit / combos.length,
    logits,
    inSampleSharpe: isBest,
    outOfSampleSharpe: oosBest,
    probabilityOfLoss: losses / combos.length,
    splits: combos.length,
  };
}
