import { describe, expect, it } from 'vitest';
import { DEMA, EMA, WilderMA } from './index.js';

const feed = (ind: { update(x: number): number }, xs: number[]) => xs.map((x) => ind.update(x));

describe('EMA, WilderMA, DEMA by hand', () => {
  it('EMA(3) seeded with the SMA: NaN, NaN, mean(1,2,3) = 2, then 2 + ½·(4 − 2) = 3', () => {
    expect(feed(new EMA(3), [1, 2, 3, 4])).toEqual([NaN, NaN, 2, 3]);
  });

  it("EMA(3, seed 'first') starts at the first input: 1, 1.5, 2.25, 3.125", () => {
    const e = new EMA(3, { seed: 'first' });
    expect(e.warmup).toBe(1);
    expect(feed(e, [1, 2, 3, 4])).toEqual([1, 1.5, 2.25, 3.125]);
  });

  it('WilderMA(3): mean(1,2,3) = 2, then (2·2 + 5) / 3 = 3', () => {
    expect(feed(new WilderMA(3), [1, 2, 3, 5])).toEqual([NaN, NaN, 2, 3]);
  });

  it('DEMA(2): inner EMA 1.5, 2.5; outer seeded with their mean 2; 2·2.5 − 2 = 3', () => {
    const d = new DEMA(2);
    expect(d.warmup).toBe(3);
    const out = feed(d, [1, 2, 3]);
    expect(out.slice(0, 2)).toEqual([NaN, NaN]);
    expect(out[2]).toBeCloseTo(3, 12);
  });
});
