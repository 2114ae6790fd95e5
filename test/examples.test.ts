import { describe, expect, it } from 'vitest';
import { runExample } from '../examples/breakout.js';

describe('the README strategy example', () => {
  it('runs on the bundled data, trades, and keeps its stop orders reduce-only', () => {
    const r = runExample();
    expect(r.stats['# Trades']).toBeGreaterThan(5);
    expect(r.bars).toBe(2148);
    const stops = r.orders.filter((o) => o.tag === 'stop');
    expect(stops.length).toBeGreaterThan(0);
    expect(stops.every((o) => o.reduceOnly)).toBe(true);
    // Every position is closed at the end, so cash equals final equity.
    expect(r.kernel.portfolio.cash()).toBeCloseTo(r.equity[r.equity.length - 1]!, 6);
  });
});
