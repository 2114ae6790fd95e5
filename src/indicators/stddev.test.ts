import { describe, expect, it } from 'vitest';
import { BollingerBands, RollingStdDev, ZScore } from './index.js';

describe('RollingStdDev, ZScore, Bollinger by hand', () => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];

  it('window [5, 5, 7, 9]: mean 6.5, Σd² = 11, σ = √(11/4), sample σ = √(11/3)', () => {
    const pop = new RollingStdDev(4);
    const smp = new RollingStdDev(4, { ddof: 1 });
    for (const x of xs) {
      pop.update(x);
      smp.update(x);
    }
    expect(pop.mean).toBeCloseTo(6.5, 14);
    expect(pop.value).toBeCloseTo(Math.sqrt(11 / 4), 14);
    expect(smp.value).toBeCloseTo(Math.sqrt(11 / 3), 14);
  });

  it('z-score of 9 in [5, 5, 7, 9] is 2.5 / √2.75; a flat window gives 0', () => {
    const z = new ZScore(4);
    for (const x of xs) z.update(x);
    expect(z.value).toBeCloseTo(2.5 / Math.sqrt(2.75), 14);
    const flat = new ZScore(3);
    for (const x of [7, 7, 7, 7]) flat.update(x);
    expect(flat.value).toBe(0);
  });

  it('keeps σ exact where Σx² − n·mean² cancels: cents on a 60,000 price, 100,000 updates', () => {
    const sd = new RollingStdDev(20);
    const win: number[] = [];
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = 60_000 + ((i * 7919) % 101) * 0.01;
      sd.update(x);
      win.push(x);
      if (win.length > 20) win.shift();
      if (i % 997 === 0 && win.length === 20) {
        const m = win.reduce((a, b) => a + b, 0) / 20;
        const exact = Math.sqrt(win.reduce((a, b) => a + (b - m) ** 2, 0) / 20);
        worst = Math.max(worst, Math.abs(sd.value - exact) / exact);
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('Bollinger(4, 2) on the same window: 6.5 ± 2σ, %b of 9 = (9 − lower) / (upper − lower)', () => {
    const bb = new BollingerBands(4, 2);
    for (const x of xs) bb.update(x);
    const s = Math.sqrt(2.75);
    expect(bb.middle).toBeCloseTo(6.5, 14);
    expect(bb.upper).toBeCloseTo(6.5 + 2 * s, 13);
    expect(bb.lower).toBeCloseTo(6.5 - 2 * s, 13);
    expect(bb.percentB).toBeCloseTo((9 - (6.5 - 2 * s)) / (4 * s), 13);
    expect(bb.width).toBeCloseTo((4 * s) / 6.5, 13);
  });
});
