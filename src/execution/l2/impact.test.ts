import { describe, expect, it } from 'vitest';
import { SquareRootImpact } from './impact.js';

describe('SquareRootImpact', () => {
  it('ΔP = P · Y · σ · √(Q / V)', () => {
    const m = new SquareRootImpact({ dailyVolatility: 0.05, dailyVolume: 100, y: 1 });
    // 101 · 1 · 0.05 · √(4 / 100) = 101 · 0.05 · 0.2 = 1.01
    expect(m.priceShift(4, 101)).toBeCloseTo(1.01, 12);
    expect(m.priceShift(-4, 101)).toBeCloseTo(1.01, 12);
    // Four times the size, twice the move.
    expect(m.priceShift(16, 101)).toBeCloseTo(2.02, 12);
    expect(m.tickShift(4, 101, 0.5)).toBe(2);
    expect(m.tickShift(1, 101, 0.5)).toBe(1); // 0.505 → one tick
    expect(m.tickShift(0.5, 101, 0.5)).toBe(0); // 0.357: less than a tick
  });

  it('defaults Y to 0.7 and rejects bad parameters', () => {
    expect(new SquareRootImpact({ dailyVolatility: 0.02, dailyVolume: 1e6 }).y).toBe(0.7);
    expect(() => new SquareRootImpact({ dailyVolatility: 0, dailyVolume: 1 })).toThrow(
      /impact.dailyVolatility/,
    );
    expect(() => new SquareRootImpact({ dailyVolatility: 0.1, dailyVolume: -1 })).toThrow(
      /impact.dailyVolume/,
    );
    expect(() => new SquareRootImpact({ dailyVolatility: 0.1, dailyVolume: 1, y: 0 })).toThrow(/impact.y/);
  });
});
