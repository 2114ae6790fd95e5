import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASK, BID, TickerError, instrumentId } from '../model/index.js';
import { BookWalk, DeltaStatus, OrderBook } from './order-book.js';

const ID = instrumentId('BTCUSDT.BINANCE');

/** bids 99 ×3, 98 ×5, 97 ×10; asks 101 ×2, 102 ×4, 104 ×6 */
function smallBook(): OrderBook {
  const b = new OrderBook(ID);
  b.applySnapshot({
    instrumentId: ID,
    ts: 1,
    tsRecv: 2,
    sequence: 10,
    bidPrices: [99, 98, 97],
    bidSizes: [3, 5, 10],
    askPrices: [101, 102, 104],
    askSizes: [2, 4, 6],
  });
  return b;
}

describe('OrderBook', () => {
  it('answers best prices, mid, spread and depth from a snapshot', () => {
    const b = smallBook();
    expect([b.bestBidPrice, b.bestBidSize, b.bestAskPrice, b.bestAskSize]).toEqual([99, 3, 101, 2]);
    expect(b.mid).toBe(100);
    expect(b.spread).toBe(2);
    const px = new Float64Array(5);
    const sz = new Float64Array(5);
    expect(b.depth(ASK, 5, px, sz)).toBe(3);
    expect([...px.subarray(0, 3)]).toEqual([101, 102, 104]);
    expect([...sz.subarray(0, 3)]).toEqual([2, 4, 6]);
    expect(b.depth(BID, 2, px, sz)).toBe(2);
    expect([...px.subarray(0, 2)]).toEqual([99, 98]);
  });

  it('applies deltas: update, insert inside, insert at top, remove, and reports the previous size', () => {
    const b = smallBook();
    expect(b.applyDelta(BID, 98, 7, 11, 5)).toBe(DeltaStatus.Applied);
    expect(b.prevSize).toBe(5);
    b.applyDelta(BID, 97.5, 1, 12, 6); // between 98 and 97
    b.applyDelta(ASK, 100.5, 9, 13, 7); // new best ask
    b.applyDelta(ASK, 102, 0, 14, 8); // remove
    expect(b.prevSize).toBe(4);
    b.applyDelta(ASK, 103, 0, 15, 9); // removing a missing level is a no-op
    expect(b.prevSize).toBe(0);
    const px = new Float64Array(5);
    const sz = new Float64Array(5);
    expect(b.depth(BID, 5, px, sz)).toBe(4);
    expect([...px.subarray(0, 4)]).toEqual([99, 98, 97.5, 97]);
    expect([...sz.subarray(0, 4)]).toEqual([3, 7, 1, 10]);
    expect(b.depth(ASK, 5, px, sz)).toBe(3);
    expect([...px.subarray(0, 3)]).toEqual([100.5, 101, 104]);
    expect(b.sequence).toBe(15);
    expect(b.ts).toBe(9);
  });

  it('keeps both sides sorted through many random updates (against a Map reference)', () => {
    const b = new OrderBook(ID);
    const ref = new Map<number, number>();
    let s = 12345;
    const rnd = (): number => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 5000; i++) {
      const price = 1000 + Math.floor(rnd() * 200);
      const size = rnd() < 0.3 ? 0 : Math.floor(rnd() * 50) + 1;
      b.applyDelta(BID, price, size, 0, i);
      if (size === 0) ref.delete(price);
      else ref.set(price, size);
    }
    const sorted = [...ref.entries()].sort((x, y) => y[0] - x[0]);
    const px = new Float64Array(300);
    const sz = new Float64Array(300);
    const n = b.depth(BID, 300, px, sz);
    expect(n).toBe(sorted.length);
    expect([...px.subarray(0, n)]).toEqual(sorted.map((e) => e[0]));
    expect([...sz.subarray(0, n)]).toEqual(sorted.map((e) => e[1]));
  });

  it('sums volume up to a price and walks the book for a size (VWAP, slippage)', () => {
    const b = smallBook();
    expect(b.volumeUpTo(ASK, 102)).toBe(6);
    expect(b.volumeUpTo(BID, 97)).toBe(18);
    expect(b.volumeUpTo(BID, 100)).toBe(0);
    const w = new BookWalk();
    // Buy 5: 2 @ 101 + 3 @ 102 = 508, vwap 101.6, 0.6 worse than the best ask.
    b.walk(ASK, 5, w);
    expect(w.filled).toBe(5);
    expect(w.notional).toBe(508);
    expect(w.vwap).toBeCloseTo(101.6, 12);
    expect(w.worstPrice).toBe(102);
    expect(w.levels).toBe(2);
    expect(w.slippage).toBeCloseTo(0.6, 12);
    expect(w.slippageBps).toBeCloseTo((0.6 / 101) * 10_000, 9);
    // Sell 20 into bids of 18: fills 18 = 3·99 + 5·98 + 10·97 = 1757.
    b.walk(BID, 20, w);
    expect(w.filled).toBe(18);
    expect(w.notional).toBe(1757);
    expect(w.slippage).toBeCloseTo(99 - 1757 / 18, 12);
    // With a limit: buy 10 no higher than 102 takes 6.
    b.walk(ASK, 10, w, 102);
    expect(w.filled).toBe(6);
    expect(() => b.walk(ASK, 0, w)).toThrow(TickerError);
  });

  it('ignores stale deltas and, when the venue numbers contiguously, flags gaps', () => {
    const b = new OrderBook(ID, { contiguous: true });
    expect(b.applyDelta(BID, 10, 1, 5, 1)).toBe(DeltaStatus.Applied);
    expect(b.applyDelta(BID, 10, 2, 6, 2)).toBe(DeltaStatus.Applied);
    expect(b.applyDelta(BID, 10, 9, 4, 3)).toBe(DeltaStatus.Stale);
    expect(b.sizeAt(BID, 10)).toBe(2);
    expect(b.applyDelta(BID, 10, 3, 9, 4)).toBe(DeltaStatus.Gap);
    expect(b.sizeAt(BID, 10)).toBe(3);
    expect([b.gapCount, b.staleCount, b.needsSnapshot]).toEqual([1, 1, true]);
  });

  it('detects a crossed book', () => {
    const b = smallBook();
    expect(b.isCrossed).toBe(false);
    b.applyDelta(BID, 101, 1, 0, 1);
    expect(b.isCrossed).toBe(true);
    b.applyDelta(BID, 101, 0, 0, 2);
    expect(b.isCrossed).toBe(false);
  });

  it('rejects bad snapshot input naming the field', () => {
    const b = new OrderBook(ID);
    const bad = {
      instrumentId: ID,
      ts: 0,
      tsRecv: 0,
      sequence: 1,
      bidPrices: [10, -1],
      bidSizes: [1, 1],
      askPrices: [],
      askSizes: [],
    };
    expect(() => b.applySnapshot(bad)).toThrow(/snapshot.bidPrices\[1\]/);
  });

  it('real Binance data: snapshot, then a depthUpdate whose pu does not chain is a gap', () => {
    const rows = (f: string): string[][] =>
      readFileSync(new URL(`../../test/fixtures/nautilus/${f}`, import.meta.url), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
    const snap = rows('binance_btcusdt-depth-snap.csv');
    const bids = snap.filter((r) => r[4] === 'b');
    const b = new OrderBook(ID);
    b.applySnapshot({
      instrumentId: ID,
      ts: Number(snap[0]![1]) * 1000,
      tsRecv: Number(snap[0]![1]) * 1000,
      sequence: Number(snap[0]![3]),
      bidPrices: bids.map((r) => Number(r[6])),
      bidSizes: bids.map((r) => Number(r[7])),
      askPrices: [],
      askSizes: [],
    });
    expect(b.bids.n).toBe(100);
    expect(b.bestBidPrice).toBe(20377);
    expect(b.bestBidSize).toBe(1.77);
    const upd = rows('binance_btcusdt-depth-update.csv');
    const [first, last, pu] = [Number(upd[0]![2]), Number(upd[0]![3]), Number(upd[0]![8])];
    // The update is ten minutes after the snapshot: its pu (…3400) is not the snapshot's id (…8332).
    expect(b.beginUpdate(first, last, pu)).toBe(DeltaStatus.Gap);
    expect(b.needsSnapshot).toBe(true);
    for (const r of upd)
      b.applyDelta(r[4] === 'b' ? BID : ASK, Number(r[6]), Number(r[7]), last, Number(r[1]) * 1000);
    expect(b.sequence).toBe(last);
    // Read off the file: the lowest ask set with a size is 20472.20 ×4.211, the highest bid 20472.10 ×22.276
    // (above every level of the stale snapshot, so the book is not crossed).
    expect([b.bestAskPrice, b.bestAskSize, b.bestBidPrice, b.bestBidSize]).toEqual([
      20472.2, 4.211, 20472.1, 22.276,
    ]);
    expect(b.isCrossed).toBe(false);
    // A message wholly older than the book is stale; one that chains by pu is fine.
    expect(b.beginUpdate(first, last, pu)).toBe(DeltaStatus.Stale);
    expect(b.beginUpdate(last + 1, last + 10, last)).toBe(DeltaStatus.Applied);
  });
});
