import { describe, expect, it } from 'vitest';
import { StreamSynchronizer } from '../data/synchronizer.js';
import { L2BacktestEngine } from '../engine/l2-backtest.js';
import { ASK, BID, F_LAST, Instrument, MarketEventColumns, type Order } from '../model/index.js';
import { MarketMaker } from './market-maker.js';

const inst = new Instrument({
  id: 'BTCUSDT.SIM',
  kind: 'perpetual',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.5,
  lotSize: 1,
});

function quotesAfter(c: MarketEventColumns, mm: MarketMaker): { open: Order[]; all: readonly Order[] } {
  const e = new L2BacktestEngine({ funding: false }, { merge: StreamSynchronizer.ofColumns });
  e.addInstrument(inst, c).addStrategy(mm);
  const r = e.run();
  // Bids first (the open-order list is unordered).
  const open = r.kernel.execution
    .openOrders()
    .sort((a, b) => (a.side === b.side ? 0 : a.side === 'buy' ? -1 : 1));
  return { open, all: r.orders };
}

describe('MarketMaker', () => {
  it('quotes around the microprice, post-only, one tick each side', () => {
    const c = new MarketEventColumns(inst.id);
    // bid 99 ×1, ask 101 ×3: microprice (99·3 + 101·1) / 4 = 99.5; ±1 tick → 99 / 100.
    c.addDelta(1, 1, 1, BID, 99, 1, 0);
    c.addDelta(1, 1, 1, ASK, 101, 3, F_LAST);
    const { open } = quotesAfter(c, new MarketMaker({ size: 1, halfSpreadTicks: 1 }));
    expect(open.map((o) => [o.side, o.price, o.quantity, o.postOnly, o.status])).toEqual([
      ['buy', 99, 1, true, 'accepted'],
      ['sell', 100, 1, true, 'accepted'],
    ]);
  });

  it('keeps its quotes while the target moves less than requoteTicks, replaces them when it moves more', () => {
    const c = new MarketEventColumns(inst.id);
    c.addDelta(1, 1, 1, BID, 99, 1, 0);
    c.addDelta(1, 1, 1, ASK, 101, 3, F_LAST);
    // bid 99 ×2 / ask 101 ×6: micro still 99.5, the same quotes: nothing sent.
    c.addDelta(2, 2, 2, BID, 99, 2, 0);
    c.addDelta(2, 2, 2, ASK, 101, 6, F_LAST);
    // bid 99 ×6 / ask 101 ×2: micro (99·2 + 101·6) / 8 = 100.5 → 100 / 101: both replaced.
    c.addDelta(3, 3, 3, BID, 99, 6, 0);
    c.addDelta(3, 3, 3, ASK, 101, 2, F_LAST);
    const mm = new MarketMaker({ size: 1, halfSpreadTicks: 1 });
    const { open, all } = quotesAfter(c, mm);
    expect(mm.quotesSent).toBe(4);
    expect(all.filter((o) => o.status === 'canceled').length).toBe(2);
    expect(open.map((o) => [o.side, o.price])).toEqual([
      ['buy', 100],
      ['sell', 101],
    ]);
  });

  it('leans against inventory and stops quoting the side beyond maxPosition', () => {
    const c = new MarketEventColumns(inst.id);
    c.addDelta(1, 1, 1, BID, 99, 1, 0);
    c.addDelta(1, 1, 1, ASK, 101, 3, F_LAST);
    c.addTrade(2, 2, 98.5, 5, -1, 1); // sells through our 99 bid: we buy 1
    c.addDelta(3, 3, 2, BID, 99, 2, F_LAST);
    const mm = new MarketMaker({ size: 1, halfSpreadTicks: 1, skewTicks: 2, maxPosition: 1 });
    const { open } = quotesAfter(c, mm);
    // Long 1, at the limit: no bid. Micro (99·3 + 101·2) / 5 = 99.8, leaning 2 ticks per unit held:
    // fair 98.8 → ask rounded up from 99.3 = 99.5, still above the 99 bid.
    expect(open.map((o) => [o.side, o.price])).toEqual([['sell', 99.5]]);
  });
});
