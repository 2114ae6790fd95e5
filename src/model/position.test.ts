import { describe, expect, it } from 'vitest';
import { instrumentId } from './ids.js';
import { Position } from './position.js';

describe('Position (netting)', () => {
  it('averages entries, realizes P&L on reductions and flips through zero', () => {
    const p = new Position(instrumentId('X'), 8);
    p.applyFill(2, 100, 1); // long 2 @ 100
    p.applyFill(2, 110, 2); // long 4 @ 105
    expect(p.quantity).toBe(4);
    expect(p.averagePrice).toBe(105);
    expect(p.applyFill(-1, 120, 3)).toBe(15); // sell 1: +15
    expect(p.quantity).toBe(3);
    expect(p.averagePrice).toBe(105);
    // Sell 5 @ 90: closes 3 (−45) and opens short 2 @ 90.
    expect(p.applyFill(-5, 90, 4)).toBe(-45);
    expect(p.quantity).toBe(-2);
    expect(p.averagePrice).toBe(90);
    expect(p.realizedPnl).toBe(-30);
    expect(p.unrealizedPnl(80)).toBe(20);
    // Buy 2 @ 85 closes the short: +10.
    expect(p.applyFill(2, 85, 5)).toBe(10);
    expect(p.isFlat).toBe(true);
    expect(p.averagePrice).toBe(0);
    expect(p.realizedPnl).toBe(-20);
  });

  it('keeps quantities on the lot grid (no 0.1 + 0.2 residue)', () => {
    const p = new Position(instrumentId('X'), 3);
    p.applyFill(0.1, 10, 1);
    p.applyFill(0.2, 10, 2);
    expect(p.quantity).toBe(0.3);
    p.applyFill(-0.3, 10, 3);
    expect(p.quantity).toBe(0);
    expect(p.isFlat).toBe(true);
  });
});
