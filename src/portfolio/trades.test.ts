import { describe, expect, it } from 'vitest';
import { instrumentId } from '../model/index.js';
import { TradeLog } from './trades.js';

const A = instrumentId('A');

describe('TradeLog', () => {
  it('pairs fills first in first out and records each closed quantity as a row', () => {
    const log = new TradeLog();
    log.onFill(A, 2, 100, 0.2, 1, 0, 1, 'first');
    log.onFill(A, 1, 110, 0.1, 2, 1, 1, 'second');
    expect(log.length).toBe(0);
    // Sells 3: closes the first lot (2 @ 100), then 1 of the second (1 @ 110).
    log.onFill(A, -3, 120, 0.3, 3, 2);
    expect(log.length).toBe(2);
    const [t1, t2] = log.closed;
    expect(t1).toEqual({
      instrumentId: A,
      size: 2,
      entryPrice: 100,
      exitPrice: 120,
      entryTs: 1,
      exitTs: 3,
      entryBar: 0,
      exitBar: 2,
      fees: 2 * (0.1 + 0.1),
      pnl: 2 * 20 - 0.4,
      returnPct: (2 * 20 - 0.4) / 200,
      tag: 'first',
    });
    expect(t2!.size).toBe(1);
    expect(t2!.entryPrice).toBe(110);
    expect(t2!.pnl).toBeCloseTo(10 - 0.2, 12);
    expect(t2!.tag).toBe('second');
    expect(log.openLots(A)).toHaveLength(0);
  });

  it('builds each object once: later reads return the same objects and extend them', () => {
    const log = new TradeLog();
    log.onFill(A, -1, 50, 0, 1, 0);
    log.onFill(A, 1, 40, 0, 2, 1);
    const first = log.closed;
    const t0 = first[0];
    expect(t0!.size).toBe(-1);
    expect(t0!.pnl).toBe(10);
    for (let i = 0; i < 600; i++) {
      log.onFill(A, 1, 10 + i, 0, 3 + 2 * i, 2 + 2 * i);
      log.onFill(A, -1, 11 + i, 0, 4 + 2 * i, 3 + 2 * i);
    }
    // 601 rows: past the first growth of the row buffer.
    expect(log.length).toBe(601);
    const all = log.closed;
    expect(all).toHaveLength(601);
    expect(all[0]).toBe(t0);
    expect(all[600]!.entryPrice).toBe(609);
    expect(all[600]!.pnl).toBe(1);
    expect(all.every((t) => t.instrumentId === A)).toBe(true);
  });

  it('keeps FIFO order while reusing closed lots (a close, then a new lot on a full queue)', () => {
    const log = new TradeLog();
    log.onFill(A, 1, 10, 0, 1, 0);
    log.onFill(A, 1, 11, 0, 2, 1);
    log.onFill(A, 1, 12, 0, 3, 2);
    log.onFill(A, -1, 15, 0, 4, 3); // closes the lot at 10
    log.onFill(A, 1, 13, 0, 5, 4); // the queue's storage is full: open lots move to the front
    const before = log.openLots(A);
    expect(before.map((l) => l.price)).toEqual([11, 12, 13]);
    log.onFill(A, -2.5, 20, 0, 6, 5);
    expect(log.closed.map((t) => [t.entryPrice, t.size])).toEqual([
      [10, 1],
      [11, 1],
      [12, 1],
      [13, 0.5],
    ]);
    expect(log.openLots(A).map((l) => [l.price, l.size])).toEqual([[13, 0.5]]);
    // What openLots returned earlier is a copy: later fills do not change it.
    expect(before.map((l) => l.size)).toEqual([1, 1, 1]);
    // Flat again (the last long closes at 21), then a short on the pooled lots.
    log.onFill(A, -0.5, 21, 0, 7, 6);
    log.onFill(A, -1, 22, 0, 8, 7);
    log.onFill(A, 2, 20, 0, 9, 8);
    expect(log.closed.slice(-2).map((t) => [t.entryPrice, t.size, t.pnl])).toEqual([
      [13, 0.5, 4],
      [22, -1, 2],
    ]);
    expect(log.openLots(A).map((l) => [l.price, l.size])).toEqual([[20, 1]]);
  });
});
