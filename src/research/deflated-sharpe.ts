import { invalid } from '../model/index.js';
import { normalCdf, normalQuantile } from '../risk/normal.js';

/** The Euler–Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Expected maximum Sharpe ratio of `trials` independent strategies with true Sharpe 0 whose estimated
 * Sharpe ratios have variance `sharpeVariance` (Bailey & López de Prado 2014, eq. 6; the False Strategy
 * Theorem): √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))). Same units as the Sharpe ratios.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!Number.isInteger(trials) || trials < 2) throw invalid('trials', trials, 'must be an integer >= 2');
  if (!(sharpeVariance >= 0)) throw invalid('sharpeVariance', sharpeVariance, 'must be >= 0');
  return (
    Math.sqrt(sharpeVariance) *
    ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
      EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
  );
}

export interface DeflatedSharpeInput {
  /** The selected strategy's Sharpe ratio, per period (not annualized). */
  readonly sharpe: number;
  /** Number of independent trials the selection was made from. */
  readonly trials: number;
  /** Variance of the trials' Sharpe ratios, per period. */
  readonly sharpeVariance: number;
  /** Number of returns the Sharpe ratio was estimated from. */
  readonly observations: number;
  /** Skewness of those returns (0 for normal). */
  readonly skew?: number;
  /** Kurtosis of those returns, not excess (3 for normal). */
  readonly kurtosis?: number;
}

export interface DeflatedSharpe {
  /** The benchmark SR₀: the Sharpe ratio expected from the best of `trials` skill-less strategies. */
  readonly expectedMaxSharpe: number;
  /** Probability that the true Sharpe ratio exceeds SR₀ (the deflated Sharpe ratio). */
  readonly dsr: number;
}

/**
 * The deflated Sharpe ratio (Bailey & López de Prado, "The Deflated Sharpe Ratio: Correcting for Selection
 * Bias, Backtest Overfitting and Non-Normality", J. Portfolio Management 40(5), 2014, eq. 9):
 * DSR = Φ((SR − SR₀)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²)).
 */
export function deflatedSharpe(i: DeflatedSharpeInput): DeflatedSharpe {
  if (!Number.isFinite(i.sharpe)) throw invalid('sharpe', i.sharpe, 'must be a finite number');
  if (!Number.isInteger(i.observations) || i.observations < 2)
    throw invalid('observations', i.observations, 'must be an integer >= 2');
  const skew = i.skew ?? 0;
  const kurt = i.kurtosis ?? 3;
  const sr0 = expectedMaxSharpe(i.trials, i.sharpeVariance);
  const denom = 1 - skew * i.sharpe + ((kurt - 1) / 4) * i.sharpe ** 2;
  if (!(denom > 0)) throw invalid('kurtosis', kurt, `with skew ${skew} gives a non-positive variance term`);
  return {
    expectedMaxSharpe: sr0,
    dsr: normalCdf(((i.sharpe - sr0) * Math.sqrt(i.observations - 1)) / Math.sqrt(denom)),
  };
}

/** Mean, sample variance, skewness and (non-excess) kurtosis of a sample (moment estimators). */
export function moments(xs: ArrayLike<number>): {
  mean: number;
  variance: number;
  skew: number;
  kurtosis: number;
} {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i]!;
  m /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return {
    mean: m,
    variance: n > 1 ? (m2 * n) / (n - 1) : Number.NaN,
    skew: m2 > 0 ? m3 / m2 ** 1.5 : 0,
    kurtosis: m2 > 0 ? m4 / (m2 * m2) : 3,
  };
}
