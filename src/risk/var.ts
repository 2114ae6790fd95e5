import { normalQuantile } from './normal.js';
import { invalid } from '../model/index.js';

/**
 * Value at Risk and Expected Shortfall of a return series, as positive loss fractions (0.02 = a 2% loss).
 * Historical: the empirical quantile (linear interpolation between order statistics, numpy's default) of
 * `horizon`-period compounded returns over overlapping windows. Parametric: normal, with the mean and
 * sample deviation scaled by the horizon (μh, σ√h).
 */

function check(confidence: number, horizon: number): void {
  if (!(confidence > 0 && confidence < 1))
    throw invalid('confidence', confidence, 'must be between 0 and 1 (0.95 = 95%)');
  if (!(Number.isInteger(horizon) && horizon >= 1))
    throw invalid('horizon', horizon, 'must be a whole number of periods >= 1');
}

/** Linear-interpolation quantile of sorted values, q in [0, 1] (numpy.percentile's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  // Rounded so 1 − 0.8 (0.19999999999999996) lands on the order statistic it means.
  const pos = Math.round((n - 1) * q * 1e9) / 1e9;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function horizonReturns(returns: readonly number[], horizon: number): number[] {
  const r = returns.filter((x) => !Number.isNaN(x));
  if (horizon === 1) return r;
  const out: number[] = [];
  for (let i = 0; i + horizon <= r.length; i++) {
    let g = 1;
    for (let k = i; k < i + horizon; k++) g *= 1 + r[k]!;
    out.push(g - 1);
  }
  return out;
}

export function historicalVaR(returns: readonly number[], confidence = 0.95, horizon = 1): number {
  check(confidence, horizon);
  const r = horizonReturns(returns, horizon).sort((a, b) => a - b);
  return -quantileSorted(r, 1 - confidence);
}

/** Mean loss of the returns at or beyond the historical VaR cut-off. */
export function historicalES(returns: readonly number[], confidence = 0.95, horizon = 1): number {
  check(confidence, horizon);
  const r = horizonReturns(returns, horizon).sort((a, b) => a - b);
  const cut = quantileSorted(r, 1 - confidence);
  let s = 0;
  let n = 0;
  for (const x of r)
    if (x <= cut) {
      s += x;
      n++;
    }
  return n ? -s / n : Number.NaN;
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

// Φ⁻¹ lives in ./normal.ts (Acklam's approximation refined by a Halley step), shared with research.
export { normalQuantile };

function meanSd(returns: readonly number[]): { mu: number; sd: number } {
  const r = returns.filter((x) => !Number.isNaN(x));
  const mu = r.reduce((a, b) => a + b, 0) / r.length;
  const v = r.reduce((a, x) => a + (x - mu) ** 2, 0) / (r.length - 1);
  return { mu, sd: Math.sqrt(v) };
}

/** Normal VaR: −(μh − z σ√h), z = Φ⁻¹(confidence). Pass returns or their mean and deviation. */
export function parametricVaR(
  input: readonly number[] | { mu: number; sd: number },
  confidence = 0.95,
  horizon = 1,
): number {
  check(confidence, horizon);
  const { mu, sd } = Array.isArray(input) ? meanSd(input) : (input as { mu: number; sd: number });
  return -(mu * horizon - normalQuantile(confidence) * sd * Math.sqrt(horizon));
}

/** Normal Expected Shortfall: −(μh − σ√h φ(z) / (1 − confidence)). */
export function parametricES(
  input: readonly number[] | { mu: number; sd: number },
  confidence = 0.95,
  horizon = 1,
): number {
  check(confidence, horizon);
  const { mu, sd } = Array.isArray(input) ? meanSd(input) : (input as { mu: number; sd: number });
  const z = normalQuantile(confidence);
  return -(mu * horizon - (sd * Math.sqrt(horizon) * normalPdf(z)) / (1 - confidence));
}

/** Parametric VaR of a portfolio with weights w and covariance Σ of per-period returns (mean 0): z √(wᵀΣw) √h. */
export function portfolioVaR(
  weights: readonly number[],
  cov: readonly (readonly number[])[],
  confidence = 0.95,
  horizon = 1,
): number {
  check(confidence, horizon);
  let v = 0;
  for (let i = 0; i < weights.length; i++)
    for (let j = 0; j < weights.length; j++) v += weights[i]! * cov[i]![j]! * weights[j]!;
  return normalQuantile(confidence) * Math.sqrt(v * horizon);
}
