import { invalid } from '../model/index.js';

/**
 * Position sizing: pure functions of the account and the market, returning a quantity (units) or a
 * value (account currency). Round the result to the instrument's lot with `instrument.roundQuantity`.
 */

function positive(field: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw invalid(field, v, 'must be a positive finite number');
}

/**
 * Fixed fractional. With a stop distance (price units): risk `fraction` of equity between entry and
 * stop, quantity = equity × fraction / (stopDistance × multiplier). Without one: put `fraction` of
 * equity in the position, quantity = equity × fraction / (price × multiplier).
 */
export function fixedFractional(o: {
  equity: number;
  fraction: number;
  price: number;
  stopDistance?: number;
  multiplier?: number;
}): number {
  positive('fraction', o.fraction);
  const m = o.multiplier ?? 1;
  if (!(o.equity > 0)) return 0;
  if (o.stopDistance !== undefined) {
    positive('stopDistance', o.stopDistance);
    return (o.equity * o.fraction) / (o.stopDistance * m);
  }
  positive('price', o.price);
  return (o.equity * o.fraction) / (o.price * m);
}

/**
 * Volatility-adjusted (volatility targeting per trade): a move of `k` volatilities against the position
 * loses `riskPerTrade` of equity. quantity = equity × riskPerTrade / (k × volatility × multiplier), where
 * volatility is in price units per bar: an ATR, or σ of returns × price.
 */
export function volatilityAdjusted(o: {
  equity: number;
  riskPerTrade: number;
  volatility: number;
  k?: number;
  multiplier?: number;
}): number {
  positive('riskPerTrade', o.riskPerTrade);
  positive('volatility', o.volatility);
  const k = o.k ?? 1;
  positive('k', k);
  if (!(o.equity > 0)) return 0;
  return (o.equity * o.riskPerTrade) / (k * o.volatility * (o.multiplier ?? 1));
}

/** Full Kelly fraction for a win rate p and a payoff b (average win / average loss): p − (1 − p) / b. */
export function fullKelly(winRate: number, payoff: number): number {
  if (!(winRate >= 0 && winRate <= 1)) throw invalid('winRate', winRate, 'must be between 0 and 1');
  if (!(payoff > 0)) throw invalid('payoff', payoff, 'must be a positive ratio (average win / average loss)');
  return winRate - (1 - winRate) / payoff;
}

/**
 * Fractional Kelly: `scale` × full Kelly (0.25 by default), never negative and never above full Kelly
 * (scale must lie in (0, 1]). A negative edge gives 0: do not trade.
 */
export function fractionalKelly(winRate: number, payoff: number, scale = 0.25): number {
  if (!(scale > 0 && scale <= 1))
    throw invalid('kellyScale', scale, 'must be in (0, 1]: more than full Kelly is refused');
  const full = fullKelly(winRate, payoff);
  return full > 0 ? Math.min(full, scale * full) : 0;
}

/**
 * Fractional Kelly from the last `window` closed trades' returns: win rate = share of returns > 0,
 * payoff = mean win / |mean loss|. Without losses the payoff is unbounded and full Kelly is the win rate;
 * without wins (or without trades) it is 0.
 */
export function kellyFromTrades(returns: readonly number[], window = 50, scale = 0.25): number {
  const r = returns.slice(-window);
  let wins = 0;
  let sumWin = 0;
  let losses = 0;
  let sumLoss = 0;
  for (const x of r) {
    if (x > 0) {
      wins++;
      sumWin += x;
    } else if (x < 0) {
      losses++;
      sumLoss -= x;
    }
  }
  if (wins === 0) return 0;
  const p = wins / r.length;
  if (losses === 0) return Math.min(p, scale * p);
  return fractionalKelly(p, sumWin / wins / (sumLoss / losses), scale);
}

/** Inverse-volatility weights: w_i = (1/σ_i) / Σ_j (1/σ_j). */
export function inverseVolatility(vols: readonly number[]): number[] {
  vols.forEach((v, i) => positive(`vols[${i}]`, v));
  const inv = vols.map((v) => 1 / v);
  const s = inv.reduce((a, b) => a + b, 0);
  return inv.map((x) => x / s);
}

/**
 * Equal risk contribution (Maillard, Roncalli & Teïletche 2010): weights w > 0, Σ w = 1, with
 * w_i (Σw)_i equal for every i. Solved by cyclical coordinate descent on
 * ½ wᵀΣw − (1/n) Σ ln w_i (Griveau-Billion, Richard & Roncalli 2013): each step solves the quadratic
 * Σ_ii w_i² + b_i w_i − 1/n = 0 with b_i = Σ_{j≠i} Σ_ij w_j; the result is normalised to sum to 1.
 */
export function equalRiskContribution(
  cov: readonly (readonly number[])[],
  opts: { tol?: number; maxIter?: number } = {},
): number[] {
  const n = cov.length;
  if (n === 0) return [];
  for (let i = 0; i < n; i++) {
    if (cov[i]!.length !== n)
      throw invalid(`cov[${i}].length`, cov[i]!.length, `must be ${n} (a square matrix)`);
    positive(`cov[${i}][${i}]`, cov[i]![i]!);
  }
  const tol = opts.tol ?? 1e-14;
  const maxIter = opts.maxIter ?? 10_000;
  const w = inverseVolatility(cov.map((row, i) => Math.sqrt(row[i]!)));
  const budget = 1 / n;
  for (let it = 0; it < maxIter; it++) {
    let change = 0;
    for (let i = 0; i < n; i++) {
      let b = 0;
      for (let j = 0; j < n; j++) if (j !== i) b += cov[i]![j]! * w[j]!;
      const a = cov[i]![i]!;
      const wi = (-b + Math.sqrt(b * b + 4 * a * budget)) / (2 * a);
      change = Math.max(change, Math.abs(wi - w[i]!));
      w[i] = wi;
    }
    if (change < tol) break;
  }
  const s = w.reduce((x, y) => x + y, 0);
  return w.map((x) => x / s);
}

/** Risk contributions w_i (Σw)_i (they sum to the portfolio variance). */
export function riskContributions(cov: readonly (readonly number[])[], w: readonly number[]): number[] {
  return w.map((wi, i) => wi * cov[i]!.reduce((acc, c, j) => acc + c * w[j]!, 0));
}

/**
 * The default sizing: position value = equity × riskShare (0.02) × signal strength × Kelly fraction,
 * capped at maxPositionShare × equity. Signed like the signal (−1 … 1).
 */
export function defaultPositionValue(o: {
  equity: number;
  signal: number;
  kelly: number;
  riskShare?: number;
  maxPositionShare?: number;
}): number {
  if (!(o.signal >= -1 && o.signal <= 1)) throw invalid('signal', o.signal, 'must be between -1 and 1');
  if (!(o.kelly >= 0 && o.kelly <= 1)) throw invalid('kelly', o.kelly, 'must be a fraction between 0 and 1');
  if (!(o.equity > 0)) return 0;
  const v = o.equity * (o.riskShare ?? 0.02) * Math.abs(o.signal) * o.kelly;
  return Math.sign(o.signal) * Math.min(v, o.equity * (o.maxPositionShare ?? 0.25));
}
