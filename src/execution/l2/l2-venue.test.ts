import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../core/index.js';
import { Kernel } from '../../engine/kernel.js';
import {
  ASK,
  BID,
  F_LAST,
  Instrument,
  Order,
  type OrderType,
  type TimeInForce,
  clientOrderId,
  orderId,
  strategyId,
} from '../../model/index.js';
import { ConstantLatency, ZERO_LATENCY } from './latency.js';
import { L2Venue } from './l2-venue.js';
import { ProbabilisticQueueModel, type QueueModel } from './queue.js';
import { SquareRootImpact } from './impact.js';

const inst = new Instrument({
  id: 'BTCUSDT.SIM',
  kind: 'perpetual',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.5,
  lotSize: 1,
  makerFee: -0.0001,
  takerFee: 0.0005,
});

function setup(
  opts: { entry?: number; response?: number; queue?: QueueModel; impact?: SquareRootImpact } = {},
) {
  const clock = new SimulatedClock(0);
  const k = new Kernel(
    { portfolio: { baseCurrency: 'USDT', startingCash: 1_000_000, accountType: 'margin' } },
    { clock },
  );
  k.addInstrument(inst);
  const latency =
    opts.entry || opts.response
      ? {
          entry: new ConstantLatency(opts.entry ?? 0),
          response: new ConstantLatency(opts.response ?? 0),
          marketData: new ConstantLatency(0),
        }
      : ZERO_LATENCY;
  const venue = new L2Venue({
    clock,
    latency,
    ...(opts.queue ? { queue: opts.queue } : {}),
    ...(opts.impact ? { impact: opts.impact } : {}),
  });
  k.addExecutionClient(venue, true);
  venue.addInstrument(inst);
  // bids 99 ×3, 98 ×5, 97 ×10; asks 101 ×2, 102 ×4, 104 ×6
  const book = venue.books[0]!;
  for (const [p, s] of [
    [99, 3],
    [98, 5],
    [97, 10],
  ] as const)
    book.applyDelta(BID, p, s, 0, 0);
  for (const [p, s] of [
    [101, 2],
    [102, 4],
    [104, 6],
  ] as const)
    book.applyDelta(ASK, p, s, 0, 0);
  let n = 0;
  /** Sends an order at the clock's time. */
  const send = (
    side: 'buy' | 'sell',
    type: OrderType,
    quantity: number,
    price?: number,
    extra: { tif?: TimeInForce; postOnly?: boolean; trigger?: number } = {},
  ): Order => {
    const id = orderId(`O-${++n}`);
    const o = new Order({
      id,
      clientOrderId: clientOrderId(id),
      instrumentId: inst.id,
      strategyId: strategyId('S'),
      side,
      type,
      quantity,
      price,
      timeInForce: extra.tif,
      postOnly: extra.postOnly,
      triggerPrice: extra.trigger,
      ts: clock.now(),
    });
    return k.execution.submit(o, clock.now());
  };
  /** Moves time to t: arrivals act, then reports are delivered. */
  const at = (t: number): void => {
    clock.set(t);
    venue.processArrivals(t);
    venue.deliverReports(t);
  };
  const fills = (o: Order) =>
    k.execution.fills.filter((f) => f.orderId === o.id).map((f) => [f.quantity, f.price, f.liquidity]);
  return { clock, k, venue, book, send, at, fills };
}

describe('L2Venue: taking liquidity', () => {
  it('a market buy walks the book: one taker fill per level, taker fee on each', () => {
    const { send, at, fills, k } = setup();
    const o = send('buy', 'market', 5);
    at(0);
    expect(fills(o)).toEqual([
      [2, 101, 'taker'],
      [3, 102, 'taker'],
    ]);
    expect(o.status).toBe('filled');
    expect(o.averageFillPrice).toBeCloseTo(508 / 5, 12);
    // 508 notional × 5 bps
    expect(k.portfolio.totalFees).toBeCloseTo(0.254, 12);
  });

  it('a market order larger than the book fills what is visible; the rest is canceled', () => {
    const { send, at, fills } = setup();
    const o = send('sell', 'market', 20);
    at(0);
    expect(fills(o)).toEqual([
      [3, 99, 'taker'],
      [5, 98, 'taker'],
      [10, 97, 'taker'],
    ]);
    expect(o.status).toBe('canceled');
    expect(o.filledQuantity).toBe(18);
    expect(o.reason).toMatch(/2 left unfilled/);
  });

  it('takes what it filled out of the book until the market updates those levels', () => {
    const { send, at, book } = setup();
    send('buy', 'market', 3);
    at(0);
    expect([book.bestAskPrice, book.bestAskSize]).toEqual([102, 3]);
  });

  it('IOC limit: fills up to its price, cancels the rest', () => {
    const { send, at, fills } = setup();
    const o = send('buy', 'limit', 10, 102, { tif: 'IOC' });
    at(0);
    expect(fills(o)).toEqual([
      [2, 101, 'taker'],
      [4, 102, 'taker'],
    ]);
    expect(o.status).toBe('canceled');
    expect(o.filledQuantity).toBe(6);
  });

  it('FOK: all or nothing against the visible book', () => {
    const { send, at, fills } = setup();
    const no = send('buy', 'limit', 13, 104, { tif: 'FOK' });
    at(0);
    expect(fills(no)).toEqual([]);
    expect(no.status).toBe('canceled');
    expect(no.reason).toMatch(/only 12 available/);
    const yes = send('buy', 'limit', 12, 104, { tif: 'FOK' });
    at(0);
    expect(fills(yes)).toEqual([
      [2, 101, 'taker'],
      [4, 102, 'taker'],
      [6, 104, 'taker'],
    ]);
    expect(yes.status).toBe('filled');
  });

  it('a marketable GTC limit takes what it can and rests the rest: a real partial fill', () => {
    const { send, at, fills, venue } = setup();
    const o = send('buy', 'limit', 5, 101);
    at(0);
    expect(fills(o)).toEqual([[2, 101, 'taker']]);
    expect(o.status).toBe('partially-filled');
    expect(venue.restingOrders()).toEqual([o]);
    // Nothing else rests at 101 on the bid side: first in the queue.
    expect(venue.queueAhead(o)).toBe(0);
  });

  it('post-only that would cross is rejected; one that would not rests as maker', () => {
    const { send, at, venue } = setup();
    const bad = send('buy', 'limit', 1, 101, { postOnly: true });
    const good = send('buy', 'limit', 1, 100.5, { postOnly: true });
    at(0);
    expect(bad.status).toBe('rejected');
    expect(bad.reason).toBe('post-only buy at 101 would take liquidity at 101');
    expect(good.status).toBe('accepted');
    expect(venue.restingOrders()).toEqual([good]);
  });
});

describe('L2Venue: permanent impact', () => {
  it('shifts the whole book after our market buy and replays later data shifted the same way', () => {
    // ΔP = 101 · 1 · 0.05 · √(4 / 100) = 1.01 → 2 ticks of 0.5 = +1.0
    const { send, at, venue, book, fills } = setup({
      impact: new SquareRootImpact({ dailyVolatility: 0.05, dailyVolume: 100, y: 1 }),
    });
    const o = send('buy', 'market', 4);
    at(0);
    expect(fills(o)).toEqual([
      [2, 101, 'taker'],
      [2, 102, 'taker'],
    ]);
    expect(venue.priceOffset[0]).toBe(1);
    // Before: bids 99 ×3, 98 ×5, 97 ×10; asks 102 ×2 (what we left), 104 ×6. Now all +1.
    const px = new Float64Array(3);
    const sz = new Float64Array(3);
    book.depth(BID, 3, px, sz);
    expect([...px]).toEqual([100, 99, 98]);
    book.depth(ASK, 2, px, sz);
    expect([...px.subarray(0, 2), ...sz.subarray(0, 2)]).toEqual([103, 105, 2, 6]);
    // The market later sets its 102 ask to 7: in our shifted market that is the 103 level.
    venue.applyDelta(0, ASK, 102, 7, 0, 1, F_LAST);
    expect(book.sizeAt(ASK, 103)).toBe(7);
    expect(book.sizeAt(ASK, 102)).toBe(0);
  });

  it('a trade smaller than a tick of impact leaves the book where it was', () => {
    const { send, at, venue, book } = setup({
      impact: new SquareRootImpact({ dailyVolatility: 0.001, dailyVolume: 1e6 }),
    });
    send('buy', 'market', 1);
    at(0);
    expect(venue.priceOffset[0]).toBe(0);
    expect(book.bestBidPrice).toBe(99);
  });
});

describe('L2Venue: queue position', () => {
  it('advances with trades at the price, fills partially when trades reach it, fully when a trade prints through', () => {
    const { send, at, fills, venue } = setup();
    const o = send('buy', 'limit', 5, 99);
    at(0);
    expect(venue.queueAhead(o)).toBe(3);
    venue.onTrade(0, 99, 2, -1, 10); // 3 ahead → 1
    expect(venue.queueAhead(o)).toBe(1);
    venue.applyDelta(0, BID, 99, 1, 0, 10, F_LAST); // the book shows the trade: no double count
    expect(venue.queueAhead(o)).toBe(1);
    venue.onTrade(0, 99, 1, 1, 11); // a buy aggressor cannot hit our bid
    expect(venue.queueAhead(o)).toBe(1);
    venue.onTrade(0, 99, 3, -1, 12); // 1 ahead, 3 traded: 2 reach us
    at(12);
    expect(fills(o)).toEqual([[2, 99, 'maker']]);
    expect(o.status).toBe('partially-filled');
    venue.onTrade(0, 98.5, 4, -1, 13); // prints through 99: the remaining 3 would have been hit first
    at(13);
    expect(fills(o)).toEqual([
      [2, 99, 'maker'],
      [3, 99, 'maker'],
    ]);
    expect(o.status).toBe('filled');
    expect(venue.restingOrders()).toEqual([]);
  });

  it('one trade fills our orders in price priority and never counts the same volume twice', () => {
    const { send, at, fills, venue } = setup();
    const hi = send('buy', 'limit', 1, 99.5); // nobody ahead at 99.5
    const lo = send('buy', 'limit', 2, 99); // 3 ahead at 99
    at(0);
    venue.onTrade(0, 98.5, 2, -1, 1); // a sell of 2 prints at 98.5: it went through 99.5 and 99
    at(1);
    expect(fills(hi)).toEqual([[1, 99.5, 'maker']]);
    expect(fills(lo)).toEqual([[1, 99, 'maker']]); // only 2 − 1 left of the trade
    expect(lo.status).toBe('partially-filled');
  });

  it('risk-averse: price touched but not traded through gives NO fill', () => {
    const { send, at, fills, venue } = setup();
    const o = send('buy', 'limit', 1, 99);
    at(0);
    venue.onTrade(0, 99, 2, -1, 5); // trades at our price, 3 ahead: 1 left ahead
    venue.applyDelta(0, BID, 99, 1, 0, 5, F_LAST);
    venue.applyDelta(0, BID, 99, 0, 0, 6, F_LAST); // the last one ahead cancels: the level is gone
    venue.applyDelta(0, BID, 98.5, 2, 0, 7, F_LAST); // a new best bid below us; asks untouched
    at(7);
    expect(venue.queueAhead(o)).toBe(0);
    expect(fills(o)).toEqual([]);
    expect(o.status).toBe('accepted');
  });

  it('probabilistic model: cancellations at the level move us forward; risk-averse does not', () => {
    const run = (queue?: QueueModel): number => {
      const { send, at, venue } = setup(queue ? { queue } : {});
      venue.applyDelta(0, BID, 99, 10, 0, 0, F_LAST); // 10 at 99
      const o = send('buy', 'limit', 1, 99);
      at(0);
      venue.applyDelta(0, BID, 99, 20, 0, 1, F_LAST); // 10 more join behind us
      venue.applyDelta(0, BID, 99, 14, 0, 2, F_LAST); // 6 cancel
      return venue.queueAhead(o);
    };
    expect(run()).toBe(10);
    // power n = 1: p = back / (back + front) = 10/20; forward by (1 - 0.5)·6 = 3.
    expect(run(new ProbabilisticQueueModel('power', 1))).toBeCloseTo(7, 12);
  });

  it('fills as maker when the opposite side moves through its price', () => {
    const { send, at, fills, venue } = setup();
    const o = send('buy', 'limit', 4, 100);
    at(0);
    venue.applyDelta(0, ASK, 100, 3, 0, 1, 0); // mid-message: not yet
    expect(fills(o)).toEqual([]);
    venue.applyDelta(0, ASK, 99.5, 0.5, 0, 1, F_LAST); // sub-lot size at 99.5 + 3 at 100 crosses our bid
    at(1);
    expect(fills(o)).toEqual([[3, 100, 'maker']]);
    expect(o.status).toBe('partially-filled');
  });
});

describe('L2Venue: fees, modify, fill records', () => {
  it('maker fills earn the maker rebate, taker fills pay the taker fee (instrument fees)', () => {
    const { send, at, venue, k } = setup();
    send('buy', 'limit', 2, 99);
    at(0);
    venue.onTrade(0, 98.5, 2, -1, 1); // prints through: both lots at 99 as maker
    at(1);
    // 2 × 99 × −1 bp = −0.0198 (a rebate is a negative fee)
    expect(k.portfolio.totalFees).toBeCloseTo(-0.0198, 12);
    send('sell', 'market', 1); // 1 × 99 × 5 bp
    at(1);
    expect(k.portfolio.totalFees).toBeCloseTo(-0.0198 + 0.0495, 12);
    expect(venue.makerFillLog).toEqual([
      { orderId: 'O-1', ts: 1, quantity: 2, price: 99, queueAtArrival: 3, likelyToxic: false },
    ]);
  });

  it('flags maker fills of orders that joined behind more than 10 as likely toxic', () => {
    const { send, at, venue } = setup();
    send('buy', 'limit', 1, 97); // 10 ahead at 97: not above the threshold
    send('buy', 'limit', 1, 98); // 5 ahead
    at(0);
    venue.applyDelta(0, BID, 96.5, 11, 0, 1, F_LAST);
    send('buy', 'limit', 1, 96.5); // 11 ahead
    at(1);
    venue.onTrade(0, 96, 30, -1, 2); // prints through all three
    at(2);
    // Filled in price priority: the best bid first.
    expect(venue.makerFillLog.map((f) => [f.price, f.queueAtArrival, f.likelyToxic])).toEqual([
      [98, 5, false],
      [97, 10, false],
      [96.5, 11, true],
    ]);
  });

  it('modify: a smaller size keeps the queue place; a new price goes to the back of the new level', () => {
    const { send, at, venue, clock, k } = setup();
    const o = send('buy', 'limit', 5, 99);
    at(0);
    venue.onTrade(0, 99, 2, -1, 1);
    expect(venue.queueAhead(o)).toBe(1);
    clock.set(2);
    k.execution.modify(o, { quantity: 3 });
    at(2);
    expect([o.quantity, venue.queueAhead(o)]).toEqual([3, 1]);
    k.execution.modify(o, { price: 98 });
    at(2);
    expect([o.price, venue.queueAhead(o)]).toEqual([98, 5]);
    k.execution.modify(o, { price: 101 }); // would cross the 101 ask
    at(2);
    expect(o.status).toBe('canceled');
    expect(o.reason).toMatch(/would cross/);
  });

  it('rejects order types it does not simulate', () => {
    const { send, at } = setup();
    const o = send('buy', 'stop-market', 1, undefined, { trigger: 105 });
    at(0);
    expect(o.status).toBe('rejected');
    expect(o.reason).toMatch(/market and limit/);
  });
});

describe('L2Venue: latency', () => {
  it('an order acts on the book as it is when it arrives, not when it was sent', () => {
    const { send, at, fills, venue } = setup({ entry: 100, response: 50 });
    const o = send('buy', 'market', 1); // sent at 0, arrives at 100
    at(50);
    expect(venue.nextArrivalAt).toBe(100);
    venue.applyDelta(0, ASK, 101, 0, 0, 60, F_LAST); // the 101 ask is gone at 60
    at(100); // arrives: takes 102; the fill report leaves at 100 and arrives at 150
    expect(o.status).toBe('submitted');
    expect(venue.nextReportAt).toBe(150);
    at(150);
    expect(fills(o)).toEqual([[1, 102, 'taker']]);
    // The fill is stamped with the venue time it happened at.
    expect(o.updatedAt).toBe(100);
  });

  it('a cancel that arrives after the fill loses; one that arrives before wins', () => {
    const race = (tradeAt: number) => {
      const s = setup({ entry: 100, response: 100 });
      const o = s.send('buy', 'limit', 1, 100); // rests at 100 from t = 100, nobody ahead
      s.at(100);
      s.clock.set(1_000);
      s.k.execution.cancel(o); // arrives at 1,100
      for (const t of [tradeAt, 1_100, 1_300].sort((a, b) => a - b)) {
        s.at(t);
        if (t === tradeAt) s.venue.onTrade(0, 100, 1, -1, t);
      }
      return { o, s };
    };
    const lost = race(1_050);
    expect(lost.o.status).toBe('filled');
    expect(lost.s.venue.lateCancels).toBe(1);
    const won = race(1_150);
    expect(won.o.status).toBe('canceled');
    expect(won.s.fills(won.o)).toEqual([]);
  });
});
