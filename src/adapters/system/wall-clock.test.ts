import { describe, expect, it } from 'vitest';
import { WallClock } from './wall-clock.js';

describe('WallClock', () => {
  it('reads real time in integer µs, never backwards', () => {
    const c = new WallClock();
    const a = c.now();
    const b = c.now();
    expect(Number.isInteger(a)).toBe(true);
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(a / 1000 - Date.now())).toBeLessThan(1000);
  });

  it('fires one-shot and interval timers at their due times without drift, and cancels', async () => {
    const c = new WallClock();
    const start = c.now() + 20_000;
    const seen: { name: string; scheduledAt: number; ts: number }[] = [];
    c.setTimer('tick', { startAt: start, intervalUs: 10_000, callback: (e) => seen.push(e) });
    c.setTimer('once', { startAt: start + 5_000, callback: (e) => seen.push(e) });
    await new Promise((r) => setTimeout(r, 70));
    c.cancelTimer('tick');
    const n = seen.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.length).toBe(n);
    const ticks = seen.filter((e) => e.name === 'tick');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    ticks.forEach((e, i) => expect(e.scheduledAt).toBe(start + i * 10_000));
    for (const e of seen) expect(e.ts).toBeGreaterThanOrEqual(e.scheduledAt);
    expect(seen.filter((e) => e.name === 'once')).toHaveLength(1);
    expect(c.timerNames()).toEqual([]);
  });

  it('rejects a negative interval naming the field', () => {
    expect(() => new WallClock().setTimer('x', { intervalUs: -1, callback: () => {} })).toThrow(
      /timer.intervalUs/,
    );
  });
});
