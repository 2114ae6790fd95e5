import { describe, expect, it } from 'vitest';
import { type MarkoutFill, MidPath, computeMarkouts } from './markouts.js';

const S = 1_000_000;

describe('markouts', () => {
  // Mid path: 100 from 0 s, 101 from 0.5 s, 99 from 5 s, 100.5 from 30 s; data ends at 70 s.
  const path = new MidPath();
  for (const [t, m] of [
    [0, 100],
    [0.5 * S, 101],
    [5 * S, 99],
    [30 * S, 100.5],
  ] as const)
    path.push(t, m);
  const fill = (
    side: 'buy' | 'sell',
    price: number,
    ts: number,
    liquidity: 'maker' | 'taker',
  ): MarkoutFill => ({
    strategyId: 'mm',
    instrumentId: 'X',
    side,
    price,
    quantity: 1,
    ts,
    liquidity,
  });
  const fills = [fill('buy', 99.9, 0, 'maker'), fill('sell', 99.1, 20 * S, 'taker')];
  const r = computeMarkouts(fills, (id) => (id === 'X' ? path : undefined), 70 * S, { toxicBps: 1 });

  it('measures the mid move and the edge against the fill price at +1 s, +10 s, +60 s (hand-computed)', () => {
    const [a, b] = r.perFill;
    expect(a!.midAtFill).toBe(100);
    // buy at mid 100: +1 s → 101 (+100 bps), +10 s → 99 (−100), +60 s → 100.5 (+50)
    expect(a!.moveBps.map((x) => +x.toFixed(6))).toEqual([100, -100, 50]);
    expect(a!.edgeBps[0]).toBeCloseTo(((101 - 99.9) / 99.9) * 1e4, 9);
    // sell at mid 99 (t = 20 s): +1 s → 99 (0), +10 s → 100.5 (−151.52 bps), +60 s → past the data (NaN)
    expect(b!.midAtFill).toBe(99);
    expect(b!.moveBps[0]).toBe(-0);
    expect(b!.moveBps[1]).toBeCloseTo((-1.5 / 99) * 1e4, 9);
    expect(b!.moveBps[2]).toBeNaN();
    expect(b!.edgeBps[1]).toBeCloseTo((-(100.5 - 99.1) / 99.1) * 1e4, 9);
  });

  it('reports per strategy: toxic share beyond the threshold and average markout', () => {
    expect(r.strategies).toHaveLength(1);
    const s = r.strategies[0]!;
    expect([s.strategyId, s.fills, s.makerFills]).toEqual(['mm', 2, 1]);
    const [h1, h10, h60] = s.horizons;
    expect([h1!.measured, h1!.toxicShare, h1!.avgMoveBps]).toEqual([2, 0, 50]);
    expect(h10!.measured).toBe(2);
    expect(h10!.toxicShare).toBe(1);
    expect(h10!.avgMoveBps).toBeCloseTo((-100 + (-1.5 / 99) * 1e4) / 2, 9);
    expect([h60!.measured, h60!.toxicShare, h60!.avgMoveBps]).toEqual([1, 0, 50]);
  });

  it('keeps a step series without repeats and refuses bad horizons', () => {
    const p = new MidPath();
    p.push(1, 10);
    p.push(2, 10);
    p.push(3, 11);
    p.push(3, 12);
    expect([p.length, p.mid[1]]).toEqual([2, 12]);
    expect(() => computeMarkouts([], () => p, 0, { horizonsUs: [0] })).toThrow(/markouts.horizonsUs/);
  });
});
