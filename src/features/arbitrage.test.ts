import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../book/index.js';
import { ASK, BID, instrumentId } from '../model/index.js';
import { ArbitrageMonitor } from './arbitrage.js';

const book = (bids: [number, number][], asks: [number, number][], seq = 1): OrderBook => {
  const b = new OrderBook(instrumentId('BTCUSDT'));
  for (const [p, s] of bids) b.applyDelta(BID, p, s, seq, 0);
  for (const [p, s] of asks) b.applyDelta(ASK, p, s, seq, 0);
  return b;
};

describe('ArbitrageMonitor (hand-built books)', () => {
  const venues = [
    { name: 'X', takerFee: 0.001, withdrawalFeeBase: 0.0005 },
    { name: 'Y', takerFee: 0.001, withdrawalFeeQuote: 1 },
  ];

  it('prices both legs walking the books, with fees and withdrawal costs', () => {
    const m = new ArbitrageMonitor({ venues, size: 2 });
    const x = book(
      [[99, 5]],
      [
        [100, 1],
        [101, 2],
      ],
    );
    const y = book(
      [
        [103, 1],
        [102.5, 2],
      ],
      [[104, 5]],
    );
    m.update('X', x, 1);
    m.update('Y', y, 2);
    // Buy 2 on X: 100 + 101 = 201 (vwap 100.5); sell 2 on Y: 103 + 102.5 = 205.5 (vwap 102.75).
    // Fees 0.201 + 0.2055; withdrawal 0.0005 BTC × 102.75 + 1 USDT = 1.051375.
    // P&L = 205.5 − 201 − 0.4065 − 1.051375 = 3.042125.
    const q = m.quote(0, 1)!;
    expect(q.buyVwap).toBe(100.5);
    expect(q.sellVwap).toBe(102.75);
    expect(q.fees).toBeCloseTo(0.4065, 12);
    expect(q.withdrawal).toBeCloseTo(1.051375, 12);
    expect(q.pnl).toBeCloseTo(3.042125, 12);
    expect(
      [...m.open.values()].map((o) => [o.buyVenue, o.sellVenue, o.firstSeen, +o.firstPnl.toFixed(6)]),
    ).toEqual([['X', 'Y', 2, 3.042125]]);
  });

  it('tracks the lifetime from first seen to the first update that no longer pays', () => {
    const m = new ArbitrageMonitor({ venues, size: 2, actUs: 3 });
    const x = book(
      [[99, 5]],
      [
        [100, 1],
        [101, 2],
      ],
    );
    const y = book(
      [
        [103, 1],
        [102.5, 2],
      ],
      [[104, 5]],
    );
    m.update('X', x, 10);
    m.update('Y', y, 12); // opens (3.042125)
    y.applyDelta(BID, 103, 3, 2, 13); // sell 2 at 103: 206 − 201 − 0.407 − 1.0515 = 3.5415 → best
    m.update('Y', y, 13);
    y.applyDelta(BID, 103, 0, 3, 20); // bids 102.5 ×2: 205 − 201 − 0.406 − 1.05125 = 2.54275, still pays
    m.update('Y', y, 20);
    x.applyDelta(ASK, 100, 0, 2, 21); // buy 2 at 101 = 202: 205 − 202 − 0.407 − 1.05125 = 1.54175
    m.update('X', x, 21);
    y.applyDelta(BID, 102.5, 0.5, 4, 30); // Y can no longer fill 2 (0.5 + nothing) → gone at 30
    m.update('Y', y, 30);
    expect(m.open.size).toBe(0);
    const [o] = m.closed;
    expect([o!.firstSeen, o!.lastSeen, o!.goneAt]).toEqual([12, 21, 30]);
    expect(o!.bestPnl).toBeCloseTo(3.5415, 9);
    expect(o!.lastPnl).toBeCloseTo(1.54175, 9);
    const r = m.report();
    expect([r.opportunities, r.wouldHavePaid, r.maxLifetimeUs]).toEqual([1, 1, 18]);
    // With 20 µs needed to act it would not have paid.
    expect(new ArbitrageMonitor({ venues, size: 2, actUs: 20 }).report().wouldHavePaid).toBe(0);
  });

  it('fees can make a crossed market not worth it; a transfer-risk charge and stale books are honoured', () => {
    const x = book([[99, 5]], [[100, 5]]);
    const y = book([[100.1, 5]], [[101, 5]]);
    const m = new ArbitrageMonitor({ venues, size: 1 });
    m.update('X', x, 1);
    m.update('Y', y, 2);
    // 0.1 gross < fees 0.2001 + withdrawal ≈ 1.05: crossed, but no opportunity.
    expect([m.crossedBeforeCosts, m.open.size]).toEqual([1, 0]);
    const free = [
      { name: 'X', takerFee: 0, transferUs: 3.6e9 * 4 },
      { name: 'Y', takerFee: 0 },
    ];
    // Gross 0.1 on 100 notional; risk 5 bps × √4 h = 10 bps of 100 = 0.1 → P&L 0, not > 0.
    const r = new ArbitrageMonitor({ venues: free, size: 1, transferRiskBps: 5 });
    r.update('X', x, 1);
    r.update('Y', y, 2);
    expect(r.quote(0, 1)!.transferRisk).toBeCloseTo(0.1, 12);
    expect(r.open.size).toBe(0);
    const s = new ArbitrageMonitor({ venues: free, size: 1, maxStaleUs: 5 });
    s.update('X', x, 1);
    s.update('Y', y, 10); // X is 9 µs old
    expect(s.open.size).toBe(0);
    expect(() => new ArbitrageMonitor({ venues: [venues[0]!], size: 1 })).toThrow(/2 venues/);
  });
});

/**
 * Real recorded data, two Binance markets of BTCUSDT captured at the same time (test/fixtures/ORIGIN.md):
 * spot and USDⓈ-M perpetual bookTickers (top of book with sizes), by local receive time. They are two
 * "venues" only loosely: a perpetual is not the coin, so the gap between them is mostly the basis.
 */
describe('ArbitrageMonitor on recorded Binance spot vs USDⓈ-M books', () => {
  it('reports how many windows would have paid', () => {
    const load = (f: string) =>
      gunzipSync(readFileSync(new URL(`../../test/fixtures/binance/${f}`, import.meta.url)))
        .toString('utf8')
        .split('\n')
        .filter((l) => l.includes('@bookTicker'))
        .map((l) => {
          const sp = l.indexOf(' ');
          const d = JSON.parse(l.slice(sp + 1)).data as {
            b: string;
            B: string;
            a: string;
            A: string;
            u: number;
          };
          return { t: Math.floor(Number(l.slice(0, sp)) / 1000), d };
        });
    const spot = load('spot_btcusdt_20240808_first15000lines.jsonl.gz');
    const perp = load('usdm_btcusdt_20240808_first20000lines.jsonl.gz');
    const all = [...spot.map((e) => ({ ...e, v: 'spot' })), ...perp.map((e) => ({ ...e, v: 'usdm' }))].sort(
      (a, b) => a.t - b.t,
    );
    const run = (fees: [number, number]) => {
      const books = {
        spot: new OrderBook(instrumentId('BTCUSDT')),
        usdm: new OrderBook(instrumentId('BTCUSDT')),
      };
      const m = new ArbitrageMonitor({
        venues: [
          { name: 'spot', takerFee: fees[0] },
          { name: 'usdm', takerFee: fees[1] },
        ],
        size: 0.01,
        maxStaleUs: 1_000_000,
        actUs: 50_000,
      });
      for (const e of all) {
        const b = books[e.v as 'spot' | 'usdm'];
        b.clear(); // a bookTicker replaces the top of book
        b.applyDelta(BID, Number(e.d.b), Number(e.d.B), e.d.u, e.t);
        b.applyDelta(ASK, Number(e.d.a), Number(e.d.A), e.d.u, e.t);
        m.update(e.v, b, e.t);
      }
      m.finish(all[all.length - 1]!.t);
      return m.report();
    };
    // Binance's standard taker fees: spot 0.1%, USDⓈ-M 0.05%.
    const std = run([0.001, 0.0005]);
    expect(std.evaluations).toBeGreaterThan(20_000);
    expect(std.opportunities).toBe(0);
    // Without fees the spot bid sits above the perpetual's ask (the basis), and it pays.
    const free = run([0, 0]);
    expect(free.crossedBeforeCosts).toBeGreaterThan(0);
    // Pinned from this data (docs/STRATEGIES.md): 91 windows, 45 of them lived ≥ 50 ms.
    expect([free.crossedBeforeCosts, free.opportunities, free.wouldHavePaid]).toEqual([21781, 91, 45]);
  });
});
