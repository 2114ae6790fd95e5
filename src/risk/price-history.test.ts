import { describe, expect, it } from 'vitest';
import { PriceHistory } from './price-history.js';

describe('PriceHistory', () => {
  it('stores no steps for one instrument without a volatility window, and records from the second on', () => {
    const h = new PriceHistory(4);
    h.register('A');
    expect(h.recording).toBe(false);
    h.recordStep(new Float64Array([100]));
    expect(h.returns('A').every(Number.isNaN)).toBe(true);
    h.register('B');
    expect(h.recording).toBe(true);
    // A rises and B falls by the same steps: correlation -1 over the steps recorded since B arrived.
    for (const [a, b] of [
      [100, 50],
      [101, 49],
      [103, 47],
      [102, 48],
      [105, 45],
    ])
      h.recordStep(new Float64Array([a!, b!]));
    const { rho, n } = h.correlation('A', 'B');
    expect(n).toBe(4);
    expect(rho).toBeCloseTo(-1, 2);
  });

  it('records a single instrument when a volatility window needs its returns', () => {
    const h = new PriceHistory(4, 3);
    h.register('A');
    expect(h.recording).toBe(true);
    for (const p of [100, 110, 99]) h.recordStep(new Float64Array([p]));
    expect(h.volObservations('A')).toBe(2);
  });
});
