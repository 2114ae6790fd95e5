import { describe, expect, it } from 'vitest';
import { ProbabilisticQueueModel, QueuePosition, RiskAverseQueueModel, fillable } from './queue.js';

describe('RiskAverseQueueModel', () => {
  const m = new RiskAverseQueueModel();

  it('joins behind the visible size and advances only with trades at the price', () => {
    const q = new QueuePosition();
    m.join(q, 10);
    expect(q.ahead).toBe(10);
    m.advanceOnTrade(q, 4); // 10 ahead, 4 traded
    expect(q.ahead).toBe(6);
    m.advanceOnDepth(q, 10, 6); // the trade shows in the book: no extra advance
    expect(q.ahead).toBe(6);
    m.advanceOnDepth(q, 6, 4); // 2 canceled: assumed behind us — except that only 4 are left at all
    expect(q.ahead).toBe(4);
    m.advanceOnDepth(q, 4, 9); // 5 join behind us
    expect(q.ahead).toBe(4);
    expect(fillable(q, 1)).toBe(0);
    m.advanceOnTrade(q, 7); // 4 ahead, 7 traded: 3 reach our order
    expect(q.ahead).toBe(-3);
    expect(fillable(q, 1)).toBe(3);
  });

  it('a cancellation ahead of us does not move us forward (only the level size caps the queue)', () => {
    const q = new QueuePosition();
    m.join(q, 10);
    m.advanceOnDepth(q, 10, 7);
    expect(q.ahead).toBe(7);
    const q2 = new QueuePosition();
    m.join(q2, 5);
    m.advanceOnDepth(q2, 10, 7);
    expect(q2.ahead).toBe(5);
  });
});

describe('ProbabilisticQueueModel', () => {
  it('splits a cancellation between ahead and behind (power, n = 1: p = back / (back + front))', () => {
    const m = new ProbabilisticQueueModel('power', 1);
    const q = new QueuePosition();
    m.join(q, 4); // level then grows to 10: 6 behind us
    m.advanceOnDepth(q, 4, 10);
    expect(q.ahead).toBe(4);
    // 10 → 8 with no trade: chg 2, p = 6/10, forward by (1 - 0.6)·2 = 0.8.
    m.advanceOnDepth(q, 10, 8);
    expect(q.ahead).toBeCloseTo(3.2, 12);
  });

  it('does not count a trade twice when the book then shows it', () => {
    const m = new ProbabilisticQueueModel('power', 2);
    const q = new QueuePosition();
    m.join(q, 4);
    m.advanceOnDepth(q, 4, 10);
    m.advanceOnTrade(q, 1);
    expect(q.ahead).toBe(3);
    m.advanceOnDepth(q, 10, 9); // the traded 1 leaves the level
    expect(q.ahead).toBe(3);
  });

  it('power n = 2: forward by (1 - 36/52)·2 when 4 ahead, 6 behind, 2 canceled', () => {
    const m = new ProbabilisticQueueModel('power', 2);
    const q = new QueuePosition();
    m.join(q, 4);
    m.advanceOnDepth(q, 4, 10);
    m.advanceOnDepth(q, 10, 8);
    expect(q.ahead).toBeCloseTo(4 - (16 / 52) * 2, 12);
  });

  it('log and the other shapes give probabilities in [0, 1], larger when more is behind', () => {
    for (const shape of ['power', 'log', 'power2', 'log2', 'power3'] as const) {
      const m = new ProbabilisticQueueModel(shape, 2);
      const small = m.probBehind(8, 2);
      const large = m.probBehind(2, 8);
      expect(small).toBeGreaterThanOrEqual(0);
      expect(large).toBeLessThanOrEqual(1);
      expect(large).toBeGreaterThan(small);
    }
    expect(new ProbabilisticQueueModel('log').probBehind(0, 0)).toBe(1);
    expect(new ProbabilisticQueueModel('log').probBehind(3, 3)).toBeCloseTo(0.5, 12);
  });

  it('moves us forward more than the risk-averse model on the same cancellations', () => {
    const pm = new ProbabilisticQueueModel('power', 3);
    const rm = new RiskAverseQueueModel();
    const a = new QueuePosition();
    const b = new QueuePosition();
    pm.join(a, 5);
    rm.join(b, 5);
    for (const [p, n] of [
      [5, 20],
      [20, 15],
      [15, 12],
      [12, 9],
    ] as const) {
      pm.advanceOnDepth(a, p, n);
      rm.advanceOnDepth(b, p, n);
    }
    expect(b.ahead).toBe(5);
    expect(a.ahead).toBeLessThan(5);
    expect(a.ahead).toBeGreaterThan(0);
  });

  it('rejects bad parameters', () => {
    expect(() => new ProbabilisticQueueModel('cubic' as never)).toThrow(/queue.shape/);
    expect(() => new ProbabilisticQueueModel('power', 0)).toThrow(/queue.n/);
  });

  it('fillable rounds to whole lots', () => {
    const q = new QueuePosition();
    q.ahead = -0.30000000000000004;
    expect(fillable(q, 0.1)).toBeCloseTo(0.3, 12);
    q.ahead = -0.25;
    expect(fillable(q, 0.1)).toBeCloseTo(0.2, 12);
  });
});
