import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './clock.js';
import { Random } from './random.js';
import { IdGenerator } from './ids.js';

describe('SimulatedClock', () => {
  it('fires timers in time order (ties in creation order) with now() at each due time', () => {
    const c = new SimulatedClock(0);
    const got: string[] = [];
    c.setTimer('b', { startAt: 10, callback: (e) => got.push(`b@${e.ts}/${c.now()}`) });
    c.setTimer('a', { startAt: 10, callback: (e) => got.push(`a@${e.ts}`) });
    c.setTimer('tick', { intervalUs: 4, callback: (e) => got.push(`tick@${e.ts}`) });
    c.advanceTo(12);
    expect(got).toEqual(['tick@4', 'tick@8', 'b@10/10', 'a@10', 'tick@12']);
    expect(c.now()).toBe(12);
    c.cancelTimer('tick');
    c.advanceTo(100);
    expect(got).toHaveLength(5);
    expect(c.timerNames()).toEqual([]);
  });

  it('refuses timers in the past and negative intervals', () => {
    const c = new SimulatedClock(50);
    expect(() => c.setTimer('x', { startAt: 10, callback: () => {} })).toThrowError(/timer.startAt/);
    expect(() => c.setTimer('x', { intervalUs: -1, callback: () => {} })).toThrowError(/timer.intervalUs/);
  });
});

describe('Random and ids', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Random(1);
    const b = new Random(1);
    const c = new Random(2);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws normals with the right moments', () => {
    const r = new Random(9);
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal(1, 2);
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    expect(mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(s2 / n - mean * mean)).toBeCloseTo(2, 1);
  });

  it('generates sequential ids per prefix', () => {
    const ids = new IdGenerator();
    expect([ids.next('O'), ids.next('O'), ids.next('F')]).toEqual(['O-1', 'O-2', 'F-1']);
  });
});
