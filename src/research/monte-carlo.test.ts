import { describe, expect, it } from 'vitest';
import { blockBootstrap, interval, monteCarlo, resampleTrades } from './monte-carlo.js';
import { ParamSpace } from './param-space.js';
import { dailyRandomWalk } from './random-walk.js';
import { parameterSensitivity } from './sensitivity.js';
import { insertGaps, scaleVolatility, stressTest } from './stress.js';

const bars = dailyRandomWalk(900, { seed: 13 });
const spec = { strategy: 'sma-cross', config: { commission: 0.001 } };

describe('Monte Carlo', () => {
  it('shuffling trades keeps the final return and spreads the drawdown', () => {
    const trades = [0.1, -0.05, 0.2, -0.1, 0.03, -0.02];
    const r = resampleTrades(trades, 'shuffle', { paths: 500, seed: 1 });
    const product = trades.reduce((a, x) => a * (1 + x), 1) - 1;
    expect(r.totalReturn.low).toBeCloseTo(product, 12);
    expect(r.totalReturn.high).toBeCloseTo(product, 12);
    // Worst order: both big losses back to back after the gains (−0.1, −0.05, −0.02 in a row): 1 − 0.9·0.95·0.98.
    expect(r.maxDrawdown.high).toBeLessThanOrEqual(1 - 0.9 * 0.95 * 0.98 + 1e-12);
    expect(r.maxDrawdown.low).toBeGreaterThanOrEqual(0.1 - 1e-12);
    const b = resampleTrades(trades, 'bootstrap', { paths: 500, seed: 1 });
    expect(b.totalReturn.high).toBeGreaterThan(b.totalReturn.low);
  });

  it('block bootstrap of constant returns has no spread', () => {
    const r = blockBootstrap(new Float64Array(50).fill(0.01), { paths: 100, seed: 2, periodsPerYear: 252 });
    expect(r.blockLength).toBe(4);
    expect(r.totalReturn.low).toBeCloseTo(1.01 ** 50 - 1, 12);
    expect(r.totalReturn.high).toBeCloseTo(1.01 ** 50 - 1, 12);
    expect(r.maxDrawdown.high).toBe(0);
  });

  it('interval interpolates percentiles', () => {
    const ci = interval(Float64Array.from([11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, Number.NaN]), 0.8);
    expect(ci.low).toBeCloseTo(2, 12);
    expect(ci.median).toBe(6);
    expect(ci.high).toBeCloseTo(10, 12);
  });

  it('monteCarlo is seeded and respects the quarantine', () => {
    const a = monteCarlo({ bars, spec, params: { fast: 10, slow: 30 }, seed: 5, paths: 200 });
    const b = monteCarlo({ bars, spec, params: { fast: 10, slow: 30 }, seed: 5, paths: 200 });
    expect(a).toEqual(b);
    expect(a.quarantine.usableEnd).toBe(870);
    expect(a.trades).toBeGreaterThan(5);
    expect(a.returns.sharpe.low).toBeLessThan(a.returns.sharpe.high);
    expect(a.shuffled.totalReturn.low).toBeCloseTo(a.shuffled.totalReturn.high, 10);
  });
});

describe('stress and sensitivity', () => {
  it('doubles volatility exactly in log terms and keeps bars valid', () => {
    const v = scaleVolatility(bars, 2);
    const r = (s: typeof bars, i: number) => Math.log(s.close[i]! / s.close[i - 1]!);
    expect(r(v, 10)).toBeCloseTo(2 * r(bars, 10), 12);
    for (let i = 0; i < v.length; i++) {
      expect(v.high[i]!).toBeGreaterThanOrEqual(Math.max(v.open[i]!, v.close[i]!) - 1e-9);
      expect(v.low[i]!).toBeLessThanOrEqual(Math.min(v.open[i]!, v.close[i]!) + 1e-9);
    }
    const g = insertGaps(bars, { probability: 0.05, size: 5, seed: 3 });
    let gaps = 0;
    for (let i = 1; i < g.length; i++)
      if (Math.abs(g.open[i]! / g.close[i - 1]! - bars.open[i]! / bars.close[i - 1]!) > 1e-9) gaps++;
    expect(gaps).toBeGreaterThan(20);
    expect(gaps).toBeLessThan(80);
  });

  it('runs the scenarios; doubled fees cost money', () => {
    const s = stressTest({ bars, spec, params: { fast: 10, slow: 30 }, seed: 4 });
    expect(s.map((x) => x.name)).toEqual(['base', 'volatility x2', 'gaps', 'fees x2']);
    expect(s[3]!.metrics.totalReturn).toBeLessThan(s[0]!.metrics.totalReturn);
    expect(s[3]!.metrics.trades).toBe(s[0]!.metrics.trades);
  });

  it('profiles the metric around the optimum one parameter at a time', async () => {
    const space = new ParamSpace({
      strategy: 'sma-cross',
      dimensions: {
        fast: { kind: 'int', min: 2, max: 20, step: 2 },
        slow: { kind: 'int', min: 20, max: 60, step: 5 },
      },
    });
    const prof = await parameterSensitivity({ bars, spec, space, params: { fast: 10, slow: 30 }, steps: 2 });
    expect(prof.map((p) => p.name)).toEqual(['fast', 'slow']);
    expect(prof[0]!.points.map((p) => p.value)).toEqual([6, 8, 10, 12, 14]);
    expect(prof[1]!.points.map((p) => p.value)).toEqual([20, 25, 30, 35, 40]);
    expect(prof[0]!.relativeDrop).toBeGreaterThanOrEqual(0);
  });
});
