import { describe, expect, it } from 'vitest';
import { OrderBook } from '../book/index.js';
import { RiskAverseQueueModel } from '../execution/l2/queue.js';
import { ASK, BID, instrumentId } from '../model/index.js';
import { QueuePositionEstimate } from './queue-position.js';

describe('QueuePositionEstimate', () => {
  it('follows a hand-built sequence of book updates and trades (power model, p = 2)', () => {
    const e = new QueuePositionEstimate({ side: 'buy', price: 100, quantity: 2, power: 2, lotSize: 0.1 });
    e.place(10); // everything the level shows is ahead of us
    expect([e.ahead, e.progress, e.filled]).toEqual([10, 0, 0]);

    e.onDepth(100, 14); // 4 join the level: behind us
    e.onDepth(100.5, 3); // another level: ignored
    expect(e.ahead).toBe(10);

    e.onTrade(100, 4, -1); // sellers take 4 from the front
    expect(e.ahead).toBe(6);
    expect(e.progress).toBeCloseTo(0.4, 12);
    expect(e.fillRatio(6)).toBe(0); // 6 more traded only reach the front
    expect(e.fillRatio(7)).toBe(0.5); // 1 of our 2
    expect(e.fillRatio(9)).toBe(1);
    e.onTrade(100, 5, 1); // buyers hit the asks, not our bid
    expect(e.ahead).toBe(6);

    e.onDepth(100, 10); // the book now shows the trade: not counted twice
    expect(e.ahead).toBe(6);

    // 2 canceled with 6 ahead and 4 behind: the share ahead is 6²/(6² + 4²) = 36/52.
    e.onDepth(100, 8);
    expect(e.ahead).toBeCloseTo(6 - (2 * 36) / 52, 12); // = 60/13 ≈ 4.615

    // 5 canceled with 60/13 ahead and 8 − 60/13 = 44/13 behind: share ahead 60²/(60² + 44²) = 3600/5536.
    e.onDepth(100, 3);
    const ahead = 60 / 13 - (5 * 3600) / 5536; // ≈ 1.364
    expect(e.ahead).toBeCloseTo(ahead, 12);
    expect(e.levelSize).toBe(3);

    e.onTrade(100, 2); // aggressor unknown: may have hit us; 2 − 1.364 = 0.636 reaches our order
    expect(e.ahead).toBe(0);
    expect(e.filled).toBeCloseTo(0.6, 12); // whole lots of 0.1
    expect(e.fillRatio()).toBeCloseTo((2 - ahead) / 2, 12);
    expect(e.progress).toBe(1);

    e.onTrade(99.9, 1, -1); // a sell printed below our bid: the queue and we were taken
    expect(e.filled).toBe(2);
    expect(e.fillRatio()).toBe(1);
  });

  it('never keeps more ahead than the level shows; a sell rests on the ask', () => {
    const e = new QueuePositionEstimate({ side: 'sell', price: 101, quantity: 1 });
    e.place(5);
    e.onTrade(101, 1, -1); // sellers hit bids
    expect(e.ahead).toBe(5);
    e.onTrade(101, 1, 1);
    expect(e.ahead).toBe(4);
    e.onDepth(101, 4); // shows the trade
    e.onDepth(101, 2); // 2 canceled, nobody behind us: all from ahead
    expect(e.ahead).toBe(2);
    e.onTrade(101.5, 3, 1); // above our ask: the queue was taken through
    expect(e.filled).toBe(1);
  });

  it('takes another queue model: risk-averse moves forward on trades only, capped by the level', () => {
    const e = new QueuePositionEstimate({
      side: 'buy',
      price: 100,
      quantity: 1,
      model: new RiskAverseQueueModel(),
    });
    e.place(10);
    e.onDepth(100, 8); // a cancellation: assumed behind us
    expect(e.ahead).toBe(8); // ... but the level holds only 8
    e.onDepth(100, 12);
    e.onTrade(100, 3, -1);
    expect(e.ahead).toBe(5);
  });

  it('reads the level from the book', () => {
    const id = instrumentId('X');
    const b = new OrderBook(id);
    b.applySnapshot({
      instrumentId: id,
      ts: 1,
      tsRecv: 1,
      sequence: 1,
      bidPrices: [99],
      bidSizes: [3],
      askPrices: [101],
      askSizes: [2],
    });
    const bid = new QueuePositionEstimate({ side: 'buy', price: 99, quantity: 1, power: 1 }).placeIn(b);
    const ask = new QueuePositionEstimate({ side: 'sell', price: 101, quantity: 1 }).placeIn(b);
    expect([bid.ahead, ask.ahead]).toEqual([3, 2]);
    b.applyDelta(BID, 99, 7, 2, 2); // 4 join behind
    b.applyDelta(ASK, 101, 1, 3, 2);
    bid.onBook(b);
    ask.onBook(b);
    expect(bid.ahead).toBe(3);
    expect(ask.ahead).toBe(1); // one canceled, nothing behind: from the front
    b.applyDelta(BID, 99, 5, 4, 3); // 2 canceled, 3 ahead 4 behind, p = 1: share ahead 3/7
    bid.onBook(b);
    expect(bid.ahead).toBeCloseTo(3 - (2 * 3) / 7, 12);
  });

  it('refuses a bad order', () => {
    expect(() => new QueuePositionEstimate({ side: 'buy', price: 0, quantity: 1 })).toThrow(/price/);
    expect(() => new QueuePositionEstimate({ side: 'buy', price: 1, quantity: 0 })).toThrow(/quantity/);
  });
});
