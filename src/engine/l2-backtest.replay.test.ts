import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeltaStatus, OrderBook } from '../book/index.js';
import { StreamSynchronizer } from '../data/synchronizer.js';
import { ConstantLatency } from '../execution/l2/latency.js';
import { ASK, BID, F_LAST, F_SNAPSHOT, Instrument, MarketEventColumns } from '../model/index.js';
import { MarketMaker } from '../strategies/market-maker.js';
import { Strategy } from '../strategy/strategy.js';
import { L2BacktestEngine } from './l2-backtest.js';

/**
 * Real Binance USDⓈ-M BTCUSDT traffic (hftbacktest's capture, test/fixtures/ORIGIN.md): a REST snapshot,
 * `depthUpdate` diffs, trades and `bookTicker`s. The parsing here is the test's own (the replay loader
 * for venue formats is not written yet); it follows Binance's book-sync procedure.
 */
const inst = new Instrument({
  id: 'BTCUSDT.BINANCE',
  kind: 'perpetual',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.1,
  lotSize: 0.001,
  makerFee: 0.0002,
  takerFee: 0.0005,
});

type Level = [string, string];
interface Depth {
  e: 'depthUpdate';
  T: number;
  U: number;
  u: number;
  pu: number;
  b: Level[];
  a: Level[];
}
interface Trade {
  e: 'trade';
  T: number;
  t: number;
  p: string;
  q: string;
  m: boolean;
}
interface Ticker {
  e: 'bookTicker';
  u: number;
  b: string;
  B: string;
  a: string;
  A: string;
}
interface Snapshot {
  lastUpdateId: number;
  T: number;
  bids: Level[];
  asks: Level[];
}

function load() {
  const text = gunzipSync(
    readFileSync(
      new URL('../../test/fixtures/binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz', import.meta.url),
    ),
  ).toString('utf8');
  const depth: { recv: number; d: Depth }[] = [];
  const trades: { recv: number; d: Trade }[] = [];
  const tickers = new Map<number, Ticker>();
  let snap: { recv: number; s: Snapshot } | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const sp = line.indexOf(' ');
    const recv = Math.floor(Number(line.slice(0, sp)) / 1000); // ns → µs
    const m = JSON.parse(line.slice(sp + 1)) as { data?: Depth | Trade | Ticker } & Partial<Snapshot>;
    if (m.lastUpdateId !== undefined) snap = { recv, s: m as Snapshot };
    else if (m.data?.e === 'depthUpdate') depth.push({ recv, d: m.data });
    else if (m.data?.e === 'trade') trades.push({ recv, d: m.data });
    else if (m.data?.e === 'bookTicker' && !tickers.has(m.data.u)) tickers.set(m.data.u, m.data);
  }
  return { depth, trades, tickers, snap: snap! };
}

describe('L2 replay of real Binance USDⓈ-M traffic', () => {
  const { depth, trades, tickers, snap } = load();
  const L = snap.s.lastUpdateId;
  // Binance: drop diffs with u < lastUpdateId; the first kept one straddles it; then each pu = previous u.
  const kept = depth.filter((x) => x.d.u >= L);

  it('syncs the book from snapshot + diffs with no gap, and matches every bookTicker of the same update id', () => {
    const book = new OrderBook(inst.id);
    const bp = snap.s.bids.map((l) => Number(l[0]));
    const ap = snap.s.asks.map((l) => Number(l[0]));
    book.applySnapshot({
      instrumentId: inst.id,
      ts: snap.s.T * 1000,
      tsRecv: snap.recv,
      sequence: L,
      bidPrices: bp,
      bidSizes: snap.s.bids.map((l) => Number(l[1])),
      askPrices: ap,
      askSizes: snap.s.asks.map((l) => Number(l[1])),
    });
    let checked = 0;
    for (const { d } of kept) {
      expect(book.beginUpdate(d.U, d.u, d.pu)).toBe(DeltaStatus.Applied);
      for (const [p, q] of d.b) book.applyDelta(BID, Number(p), Number(q), d.u, d.T * 1000);
      for (const [p, q] of d.a) book.applyDelta(ASK, Number(p), Number(q), d.u, d.T * 1000);
      expect(book.isCrossed).toBe(false);
      const t = tickers.get(d.u);
      if (t) {
        expect([book.bestBidPrice, book.bestBidSize, book.bestAskPrice, book.bestAskSize]).toEqual([
          Number(t.b),
          Number(t.B),
          Number(t.a),
          Number(t.A),
        ]);
        checked++;
      }
    }
    expect(kept.length).toBe(1594);
    expect(checked).toBe(154);
    expect(book.gapCount).toBe(0);
  });

  it('replays snapshot, diffs and trades through the engine and the market maker, deterministically', () => {
    const t0 = Math.min(snap.s.T, kept[0]!.d.T) * 1000;
    const cols = new MarketEventColumns(inst.id, 200_000);
    cols.addClear(t0, snap.recv, L);
    const n = snap.s.bids.length;
    for (let i = 0; i < n; i++) {
      cols.addDelta(
        t0,
        snap.recv,
        L,
        BID,
        Number(snap.s.bids[i]![0]),
        Number(snap.s.bids[i]![1]),
        F_SNAPSHOT,
      );
      cols.addDelta(
        t0,
        snap.recv,
        L,
        ASK,
        Number(snap.s.asks[i]![0]),
        Number(snap.s.asks[i]![1]),
        F_SNAPSHOT | (i === n - 1 ? F_LAST : 0),
      );
    }
    for (const { recv, d } of kept) {
      const all = [...d.b.map((l) => [BID, l] as const), ...d.a.map((l) => [ASK, l] as const)];
      all.forEach(([side, [p, q]], k) =>
        cols.addDelta(d.T * 1000, recv, d.u, side, Number(p), Number(q), k === all.length - 1 ? F_LAST : 0),
      );
    }
    const tr = new MarketEventColumns(inst.id, trades.length);
    for (const { recv, d } of trades)
      if (d.T * 1000 >= t0) tr.addTrade(d.T * 1000, recv, Number(d.p), Number(d.q), d.m ? -1 : 1, d.t);

    class CrossWatch extends Strategy<object> {
      books = 0;
      crossed = 0;
      override onBook(b: OrderBook): void {
        this.books++;
        if (b.isCrossed) this.crossed++;
      }
    }
    const run = () => {
      const e = new L2BacktestEngine(
        {
          seed: 3,
          latency: () => ({
            entry: new ConstantLatency(5_000),
            response: new ConstantLatency(5_000),
            marketData: new ConstantLatency(0),
          }),
        },
        { merge: StreamSynchronizer.ofColumns },
      );
      const watch = new CrossWatch({}, 'watch');
      e.addInstrument(inst, cols, tr)
        .addStrategy(watch)
        .addStrategy(new MarketMaker({ size: 0.001, maxPosition: 0.005, halfSpreadTicks: 0 }));
      return { r: e.run(), watch };
    };
    const { r, watch } = run();
    expect(r.events).toBe(cols.length + tr.length);
    expect(watch.books).toBe(1 + kept.length);
    expect(watch.crossed).toBe(0);
    expect(r.fills.length).toBeGreaterThan(0);
    expect(r.fills.every((f) => f.liquidity === 'maker')).toBe(true);
    const again = run().r;
    expect(again.fills.map((f) => [f.ts, f.side, f.price, f.quantity])).toEqual(
      r.fills.map((f) => [f.ts, f.side, f.price, f.quantity]),
    );
  });
});
