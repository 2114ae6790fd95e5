import { describe, expect, it } from 'vitest';
import { Random } from '../../core/index.js';
import { ConstantLatency, EmpiricalLatency, LogNormalLatency, NormalLatency } from './latency.js';

const draws = (m: { sample(): number }, n: number): number[] => Array.from({ length: n }, () => m.sample());

describe('latency models', () => {
  it('constant returns its value, rounded to whole µs', () => {
    expect(draws(new ConstantLatency(250.4), 3)).toEqual([250, 250, 250]);
    expect(() => new ConstantLatency(-1)).toThrow(/latency.us/);
  });

  it('seeded models repeat exactly with the same seed and differ with another', () => {
    const mk = (seed: number) => new NormalLatency(new Random(seed), 1000, 200);
    const a = draws(mk(1), 100);
    expect(draws(mk(1), 100)).toEqual(a);
    expect(draws(mk(2), 100)).not.toEqual(a);
    expect(a.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    expect(Math.abs(mean - 1000)).toBeLessThan(80);
  });

  it('normal never goes below its floor', () => {
    expect(Math.min(...draws(new NormalLatency(new Random(3), 10, 100, 5), 1000))).toBe(5);
  });

  it('log-normal has the median it was given and a right tail', () => {
    const d = draws(new LogNormalLatency(new Random(4), 500, 0.5), 20_001).sort((x, y) => x - y);
    expect(Math.abs(d[10_000]! - 500)).toBeLessThan(20);
    expect(d[20_000]! - 500).toBeGreaterThan(500 - d[0]!);
  });

  it('empirical draws only measured values', () => {
    const m = new EmpiricalLatency(new Random(5), [100, 200, 900]);
    const d = draws(m, 300);
    expect(new Set(d)).toEqual(new Set([100, 200, 900]));
    expect(() => new EmpiricalLatency(new Random(5), [])).toThrow(/latency.samples/);
    expect(() => new EmpiricalLatency(new Random(5), [1, Number.NaN])).toThrow(/latency.samples\[1\]/);
  });
});
