import { describe, expect, it } from 'vitest';
import { OrderBook } from '../book/index.js';
import { loadReplayFiles } from '../data/replay/index.js';
import { StreamSynchronizer } from '../data/synchronizer.js';
import { ConstantLatency } from '../execution/l2/latency.js';
import { ASK, BID, F_LAST, Instrument, MarketEventKind } from '../model/index.js';
import { MarketMaker } from '../strategies/market-maker.js';
import { Strategy } from '../strategy/strategy.js';
import { L2BacktestEngine } from './l2-backtest.js';

/**
 * Real Binance USDⓈ-M BTCUSDT traffic (hftbacktest's capture, test/fixtures/ORIGIN.md): a REST snapshot,
 * `depthUpdate` diffs, trades and `bookTicker`s, read by the replay loader (data/replay), which follows
 * Binance's book-sync procedure.
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

const fixture = new URL(
  '../../test/fixtures/binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz',
  import.meta.url,
).pathname;

describe('L2 replay of real Binance USDⓈ-M traffic', () => {
  const replay = loadReplayFiles([fixture], { format: 'binance', instrumentId: inst.id });
  const cols = replay.book;
  const tr = replay.trades;

  it('syncs the book from snapshot + diffs with no gap, and matches every bookTicker of the same update id', () => {
    expect(replay.report.gaps).toBe(0);
    expect(replay.report.malformedCount).toBe(0);
    expect(replay.report.events['update']).toBe(1594);
    // The first bookTicker of each update id (the capture repeats some).
    const tickers = new Map<number, number>();
    const q = replay.quotes;
    for (let i = 0; i < q.length; i++) if (!tickers.has(q.sequence[i]!)) tickers.set(q.sequence[i]!, i);
    const book = new OrderBook(inst.id);
    let checked = 0;
    for (let i = 0; i < cols.length; i++) {
      if (cols.kind[i] === MarketEventKind.BookClear) {
        book.clear();
        continue;
      }
      book.applyDelta(
        cols.side[i]! > 0 ? BID : ASK,
        cols.price[i]!,
        cols.size[i]!,
        cols.sequence[i]!,
        cols.ts[i]!,
      );
      if ((cols.flags[i]! & F_LAST) === 0) continue;
      expect(book.isCrossed).toBe(false);
      const t = tickers.get(cols.sequence[i]!);
      if (t !== undefined) {
        expect([book.bestBidPrice, book.bestBidSize, book.bestAskPrice, book.bestAskSize]).toEqual([
          q.price[t],
          q.size[t],
          q.price2[t],
          q.size2[t],
        ]);
        checked++;
      }
    }
    expect(checked).toBe(154);
    expect(book.gapCount).toBe(0);
  });

  it('replays snapshot, diffs and trades through the engine and the market maker, deterministically', () => {
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
    expect(watch.books).toBe(1 + 1594);
    expect(watch.crossed).toBe(0);
    expect(r.fills.length).toBeGreaterThan(0);
    expect(r.fills.every((f) => f.liquidity === 'maker')).toBe(true);
    const again = run().r;
    expect(again.fills.map((f) => [f.ts, f.side, f.price, f.quantity])).toEqual(
      r.fills.map((f) => [f.ts, f.side, f.price, f.quantity]),
    );
  });
});
