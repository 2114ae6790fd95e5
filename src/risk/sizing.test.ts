import { describe, expect, it } from 'vitest';
import { TickerError } from '../model/index.js';
import {
  defaultPositionValue,
  equalRiskContribution,
  fixedFractional,
  fractionalKelly,
  fullKelly,
  inverseVolatility,
  kellyFromTrades,
  riskContributions,
  volatilityAdjusted,
} from './sizing.js';

describe('position sizing against hand-computed values', () => {
  it('fixed fractional: share of equity, or risk to the stop', () => {
    expect(fixedFractional({ equity: 100_000, fraction: 0.1, price: 50 })).toBe(200);
    // 1% of 100,000 = 1,000 at risk over a 2.50 stop distance: 400 units.
    expect(fixedFractional({ equity: 100_000, fraction: 0.01, price: 50, stopDistance: 2.5 })).toBe(400);
    expect(
      fixedFractional({ equity: 100_000, fraction: 0.01, price: 50, stopDistance: 2.5, multiplier: 10 }),
    ).toBe(40);
  });

  it('volatility-adjusted: 1% risk over 2 ATR of 1.25 → 100,000 × 0.01 / 2.5 = 400', () => {
    expect(volatilityAdjusted({ equity: 100_000, riskPerTrade: 0.01, volatility: 1.25, k: 2 })).toBe(400);
    expect(() => volatilityAdjusted({ equity: 1, riskPerTrade: 0.01, volatility: 0 })).toThrow(TickerError);
  });

  it('Kelly: p = 0.6, b = 2 → full 0.4, quarter 0.1; never above full, 0 without an edge', () => {
    expect(fullKelly(0.6, 2)).toBeCloseTo(0.4, 15);
    expect(fractionalKelly(0.6, 2)).toBeCloseTo(0.1, 15);
    expect(fractionalKelly(0.6, 2, 1)).toBeCloseTo(0.4, 15);
    expect(fractionalKelly(0.5, 1)).toBe(0);
    expect(fractionalKelly(0.3, 1)).toBe(0);
    expect(() => fractionalKelly(0.6, 2, 1.5)).toThrow(/more than full Kelly/);
  });

  it('Kelly from rolling trade returns', () => {
    // Window of the last 5: wins 0.04, 0.02, 0.03 (mean 0.03), losses −0.01, −0.02 (mean 0.015): p = 0.6, b = 2.
    const r = [-0.5, 0.9, 0.04, -0.01, 0.02, -0.02, 0.03];
    expect(kellyFromTrades(r, 5)).toBeCloseTo(0.1, 15);
    expect(kellyFromTrades([-0.01, -0.02], 5)).toBe(0);
    expect(kellyFromTrades([0.01, 0.02, 0], 5, 0.5)).toBeCloseTo((2 / 3) * 0.5, 15);
  });

  it('inverse volatility: σ = 10%, 20%, 40% → 4/7, 2/7, 1/7', () => {
    const w = inverseVolatility([0.1, 0.2, 0.4]);
    expect(w[0]).toBeCloseTo(4 / 7, 15);
    expect(w[1]).toBeCloseTo(2 / 7, 15);
    expect(w[2]).toBeCloseTo(1 / 7, 15);
  });

  it('equal risk contribution: two assets give inverse volatility whatever the correlation', () => {
    const s1 = 0.1;
    const s2 = 0.2;
    const rho = 0.5;
    const w = equalRiskContribution([
      [s1 * s1, rho * s1 * s2],
      [rho * s1 * s2, s2 * s2],
    ]);
    expect(w[0]).toBeCloseTo(2 / 3, 12);
    expect(w[1]).toBeCloseTo(1 / 3, 12);
  });

  it('equal risk contribution: three assets with a correlated pair, contributions equal', () => {
    // σ = 10%, 20%, 30%; ρ12 = 0.8, others 0. Hand solution: the uncorrelated third asset has
    // RC3 = w3² σ3², the pair w1(σ1²w1 + ρσ1σ2w2) = w2(σ2²w2 + ρσ1σ2w1).
    const s = [0.1, 0.2, 0.3];
    const c = [
      [1, 0.8, 0],
      [0.8, 1, 0],
      [0, 0, 1],
    ];
    const cov = c.map((row, i) => row.map((r, j) => r * s[i]! * s[j]!));
    const w = equalRiskContribution(cov);
    const rc = riskContributions(cov, w);
    for (const x of rc) expect(x / rc[0]!).toBeCloseTo(1, 10);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    // Within the pair the ratio is σ2/σ1 = 2 (symmetric pair terms), so w1 = 2 w2; RC1 = RC3 fixes w3.
    expect(w[0]! / w[1]!).toBeCloseTo(2, 10);
    const w1 = w[0]!;
    const w2 = w[1]!;
    expect(w[2]!).toBeCloseTo(Math.sqrt(w1 * (0.01 * w1 + 0.8 * 0.02 * w2)) / 0.3, 10);
  });

  it('default sizing: equity × 0.02 × signal × Kelly, capped by the position limit', () => {
    expect(defaultPositionValue({ equity: 100_000, signal: 0.5, kelly: 0.1 })).toBeCloseTo(100, 12);
    expect(defaultPositionValue({ equity: 100_000, signal: -1, kelly: 0.25 })).toBeCloseTo(-500, 12);
    expect(
      defaultPositionValue({ equity: 100_000, signal: 1, kelly: 1, riskShare: 0.5, maxPositionShare: 0.25 }),
    ).toBe(25_000);
    expect(() => defaultPositionValue({ equity: 1, signal: 2, kelly: 0.1 })).toThrow(TickerError);
  });
});
