import { describe, expect, it } from 'vitest';
import { ASK, BID, MarketEventColumns, TickerError, instrumentId } from '../model/index.js';
import { ColumnCursor, IterableCursor, StreamSynchronizer } from './synchronizer.js';

const A = instrumentId('BTCUSDT.BINANCE');
const B = instrumentId('BTCUSDT.BYBIT');

function drain<C extends ColumnCursor>(s: StreamSynchronizer<C>): string[] {
  const out: string[] = [];
  for (let j = s.next(); j >= 0; j = s.next()) {
    const c = s.cursors[j]!;
    out.push(`${j}:${c.row}@${c.ts}`);
  }
  return out;
}

describe('StreamSynchronizer', () => {
  it('merges by exchange time; equal times go by stream index, then by the stream order', () => {
    const a = new MarketEventColumns(A);
    a.addDelta(10, 50, 1, BID, 100, 1);
    a.addTrade(20, 21, 100, 1, 1);
    a.addDelta(20, 22, 2, ASK, 101, 1);
    const b = new MarketEventColumns(B);
    b.addDelta(5, 60, 7, BID, 99, 1);
    b.addDelta(20, 23, 8, BID, 99, 2);
    b.addTrade(30, 31, 99, 1, -1);
    const s = StreamSynchronizer.ofColumns([a, b]);
    expect(drain(s)).toEqual(['1:0@5', '0:0@10', '0:1@20', '0:2@20', '1:1@20', '1:2@30']);
    expect(s.emitted).toBe(6);
    expect(s.next()).toBe(-1);
  });

  it('replays by receive time to show what a live system saw', () => {
    const a = new MarketEventColumns(A);
    a.addDelta(10, 50, 1, BID, 100, 1);
    a.addDelta(20, 55, 2, BID, 100, 2);
    const b = new MarketEventColumns(B);
    b.addDelta(5, 60, 7, BID, 99, 1);
    b.addDelta(12, 52, 8, BID, 99, 2); // sent later than b's first, received earlier: not allowed within a stream
    expect(() => drain(StreamSynchronizer.ofColumns([a, b], { by: 'receive' }))).toThrow(TickerError);
    const b2 = new MarketEventColumns(B);
    b2.addDelta(5, 52, 7, BID, 99, 1);
    b2.addDelta(12, 60, 8, BID, 99, 2);
    // Exchange order: b0(5) a0(10) b1(12) a1(20); receive order: a0(50) b0(52) a1(55) b1(60).
    expect(drain(StreamSynchronizer.ofColumns([a, b2]))).toEqual(['1:0@5', '0:0@10', '1:1@12', '0:1@20']);
    expect(drain(StreamSynchronizer.ofColumns([a, b2], { by: 'receive' }))).toEqual([
      '0:0@10',
      '1:0@5',
      '0:1@20',
      '1:1@12',
    ]);
  });

  it('refuses a stream that goes back in time, naming the stream and the value', () => {
    const a = new MarketEventColumns(A);
    a.addDelta(10, 10, 1, BID, 100, 1);
    a.addDelta(9, 11, 2, BID, 100, 2);
    const s = StreamSynchronizer.ofColumns([a]);
    expect(s.next()).toBe(0);
    try {
      s.next();
      expect.unreachable();
    } catch (e) {
      expect((e as TickerError).code).toBe('OUT_OF_ORDER');
      expect((e as TickerError).field).toBe('streams[0].ts');
      expect((e as TickerError).value).toBe(9);
    }
  });

  it('merges iterators of event objects with columns, deterministically', () => {
    const funding = [
      { ts: 15, tsRecv: 15, rate: 0.0001 },
      { ts: 25, tsRecv: 25, rate: -0.0002 },
    ];
    function* gen(): Generator<{ ts: number; tsRecv: number; rate: number }> {
      yield* funding;
    }
    const a = new MarketEventColumns(A);
    a.addDelta(10, 10, 1, BID, 100, 1);
    a.addDelta(25, 25, 2, BID, 100, 2);
    const run = (): string[] => {
      const cols = new ColumnCursor(a);
      const fund = new IterableCursor(gen());
      const s = new StreamSynchronizer<
        ColumnCursor | IterableCursor<{ ts: number; tsRecv: number; rate: number }>
      >([cols, fund]);
      const out: string[] = [];
      for (let j = s.next(); j >= 0; j = s.next())
        out.push(j === 0 ? `delta@${cols.ts}` : `funding ${fund.current!.rate}@${fund.ts}`);
      return out;
    };
    const first = run();
    expect(first).toEqual(['delta@10', 'funding 0.0001@15', 'delta@25', 'funding -0.0002@25']);
    expect(run()).toEqual(first);
  });

  it('rejects bad options', () => {
    expect(() => new StreamSynchronizer([])).toThrow(/synchronizer.streams/);
    expect(() => StreamSynchronizer.ofColumns([new MarketEventColumns(A)], { by: 'local' as never })).toThrow(
      /synchronizer.by/,
    );
  });
});
