import { describe, expect, it } from 'vitest';
import { StreamSynchronizer } from '../data/synchronizer.js';
import { L2BacktestEngine } from '../engine/l2-backtest.js';
import { ASK, BID, F_LAST, Instrument, MarketEventColumns } from '../model/index.js';
import { SIGNALS_TOPIC, type Signal } from '../strategy/signal.js';
import { BookImbalance, bookImbalanceParams } from './book-imbalance.js';
import { L2_STRATEGIES } from './index.js';

const inst = new Instrument({
  id: 'BTCUSDT.SIM',
  kind: 'perpetual',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.5,
  lotSize: 1,
});

/** One complete venue message per timestamp: [bid px, bid size, ask px, ask size] at the touch. */
function touches(rows: readonly (readonly [number, number, number, number])[]): MarketEventColumns {
  const c = new MarketEventColumns(inst.id);
  let pb = Number.NaN;
  let pa = Number.NaN;
  rows.forEach(([bp, bs, ap, as], i) => {
    const t = (i + 1) * 1_000_000;
    // A touch that moved removes the old level in the same message.
    if (pb === pb && pb !== bp) c.addDelta(t, t, i + 1, BID, pb, 0, 0);
    if (pa === pa && pa !== ap) c.addDelta(t, t, i + 1, ASK, pa, 0, 0);
    pb = bp;
    pa = ap;
    c.addDelta(t, t, i + 1, BID, bp, bs, 0);
    c.addDelta(t, t, i + 1, ASK, ap, as, F_LAST);
  });
  return c;
}

function run(c: MarketEventColumns, s: BookImbalance) {
  const e = new L2BacktestEngine({ funding: false }, { merge: StreamSynchronizer.ofColumns });
  e.addInstrument(inst, c).addStrategy(s);
  const signals: Signal[] = [];
  e.kernel.bus.subscribe<Signal>(SIGNALS_TOPIC, (x) => signals.push(x));
  const r = e.run();
  return { r, signals, fills: r.fills.map((f) => [f.side, f.price, f.quantity, f.ts / 1e6]) };
}

describe('BookImbalance', () => {
  // levels 1: imbalance = (bid − ask) / (bid + ask) at the touch.
  const path = touches([
    [100, 2, 101, 2], // t1: 0 → nothing
    [100, 10, 101, 2], // t2: 8/12 = 0.667 ≥ 0.5 → buy 1 at the 101 ask
    [100, 4, 101, 2], // t3: 2/6 = 0.333 > exit 0.1 → hold
    [100, 3, 101, 5], // t4: −2/8 = −0.25 ≤ 0.1 → sell 1 at the 100 bid (flat)
    [100, 2, 101, 10], // t5: −8/12 = −0.667 ≤ −0.5 → short 1 at 100
    [100, 10, 101, 10], // t6: 0 ≥ −0.1 → buy 1 back at 101
    [98, 10, 101, 1], // t7: 9/11 = 0.82 but the spread is 6 ticks > 2 → no entry
  ]);

  it('enters on the imbalance, exits when it fades, both sides, never on a wide spread', () => {
    const s = new BookImbalance({ levels: 1, entry: 0.5, exit: 0.1, size: 1 });
    const { fills, r } = run(path, s);
    expect(fills).toEqual([
      ['buy', 101, 1, 2],
      ['sell', 100, 1, 4],
      ['sell', 100, 1, 5],
      ['buy', 101, 1, 6],
    ]);
    expect(r.kernel.portfolio.position(inst.id)!.quantity).toBe(0);
    expect([s.entries, s.exits]).toEqual([2, 2]);
    expect(s.lastImbalance).toBeCloseTo(9 / 11, 12);
    expect(r.orders.map((o) => o.tag)).toEqual([
      'obi:entry',
      'obi:exit:imbalance',
      'obi:entry',
      'obi:exit:imbalance',
    ]);
  });

  it('long only: no short entry on a negative imbalance', () => {
    const s = new BookImbalance({ levels: 1, entry: 0.5, exit: 0.1, allowShort: false });
    expect(run(path, s).fills).toEqual([
      ['buy', 101, 1, 2],
      ['sell', 100, 1, 4],
    ]);
  });

  it('weights deeper levels by decay', () => {
    const c = new MarketEventColumns(inst.id);
    // Touch balanced (2 / 2); level 2: bid 99 ×10, ask 101.5 ×0.
    // decay 0.5: (0 + 0.5·10) / (4 + 0.5·10) = 5/9 = 0.556 ≥ 0.5 → buy. decay 0.1: 1/5 = 0.2 → nothing.
    c.addDelta(1e6, 1e6, 1, BID, 100, 2, 0);
    c.addDelta(1e6, 1e6, 1, BID, 99, 10, 0);
    c.addDelta(1e6, 1e6, 1, ASK, 101, 2, F_LAST);
    const a = new BookImbalance({ levels: 2, decay: 0.5, entry: 0.5 });
    expect(run(c, a).fills).toEqual([['buy', 101, 1, 1]]);
    expect(a.lastImbalance).toBeCloseTo(5 / 9, 12);
    const b = new BookImbalance({ levels: 2, decay: 0.1, entry: 0.5 });
    expect(run(c, b).fills).toEqual([]);
    expect(b.lastImbalance).toBeCloseTo(0.2, 12);
  });

  it('leaves after maxHoldMs even while the imbalance holds', () => {
    const c = touches([
      [100, 10, 101, 2], // t1: buy
      [100, 10, 101, 2], // t2: 1 s held < 1.5 s
      [100, 10, 101, 2], // t3: 2 s held ≥ 1.5 s → exit at 100
    ]);
    const s = new BookImbalance({ levels: 1, entry: 0.5, maxHoldMs: 1500 });
    const { fills, r } = run(c, s);
    expect(fills).toEqual([
      ['buy', 101, 1, 1],
      ['sell', 100, 1, 3],
    ]);
    expect(r.orders[1]!.tag).toBe('obi:exit:max-hold');
  });

  it('signals mode: the same decisions as signals, no orders', () => {
    const s = new BookImbalance({ levels: 1, entry: 0.5, exit: 0.1, mode: 'signals' });
    const { signals, fills } = run(path, s);
    expect(fills).toEqual([]);
    expect(signals.map((x) => [x.direction, x.strength, +x.confidence.toFixed(4), x.ts / 1e6])).toEqual([
      ['long', 1, 0.6667, 2],
      ['flat', 0, 0.25, 4],
      ['short', 1, 0.6667, 5],
      ['flat', 0, 0, 6],
    ]);
    expect(s.snapshotState()).toEqual({ side: 0, enteredAt: 5e6, entries: 2, exits: 2 });
  });

  it('validates its parameters and is in the L2 registry', () => {
    expect(() => bookImbalanceParams.parse({ entry: 0.3, exit: 0.3 })).toThrow(/exit must be below entry/);
    expect(() => new BookImbalance({ levels: 0 })).toThrow();
    expect(L2_STRATEGIES.get('book-imbalance')!.create({}, 'obi')).toBeInstanceOf(BookImbalance);
  });
});
