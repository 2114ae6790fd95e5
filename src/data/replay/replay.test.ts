import { describe, expect, it } from 'vitest';
import { F_LAST, F_SNAPSHOT, MarketEventKind, instrumentId } from '../../model/index.js';
import { parseBinanceCapture } from './binance.js';
import { loadReplayFiles } from './file.js';
import { parseNautilusDepthCsv } from './nautilus.js';
import { parseTardisCsv } from './tardis.js';

const fx = (p: string) => new URL(`../../../test/fixtures/${p}`, import.meta.url).pathname;
const id = instrumentId('BTCUSDT.BINANCE');

/** Every book message continues the previous one: update ids never go back, times never go back. */
function expectOrdered(c: {
  length: number;
  ts: Float64Array;
  tsRecv: Float64Array;
  sequence: Float64Array;
}) {
  let bad = -1;
  for (let i = 1; i < c.length && bad < 0; i++)
    if (c.ts[i]! < c.ts[i - 1]! || c.tsRecv[i]! < c.tsRecv[i - 1]! || c.sequence[i]! < c.sequence[i - 1]!)
      bad = i;
  expect(bad).toBe(-1);
}

describe('Binance capture loader (hftbacktest format: <receive ns> <JSON>)', () => {
  it('USDⓈ-M: snapshot + 1,594 continuous diffs, trades and bookTickers with both clocks', () => {
    const r = loadReplayFiles([fx('binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz')], {
      format: 'binance',
      instrumentId: id,
    });
    expect(r.symbol).toBe('BTCUSDT');
    expect(r.report.lines).toBe(20000);
    expect(r.report.events).toEqual({ quote: 15377, trade: 3024, snapshot: 1, delta: 97651, update: 1594 });
    expect(r.report.malformedCount).toBe(0);
    expect(r.report.gaps).toBe(0);
    expect(r.report.clamped).toBe(0);
    // 4 diffs arrived before the REST snapshot and are already in it.
    expect(r.report.skipped.get('before_snapshot')!.count).toBe(4);
    const b = r.book;
    expect(b.length).toBe(97652);
    expect(b.kind[0]).toBe(MarketEventKind.BookClear);
    expect([b.ts[0], b.tsRecv[0], b.sequence[0]]).toEqual([
      1723161256493000, 1723161255319702, 5123107852948,
    ]);
    expect(b.flags[1]! & F_SNAPSHOT).toBe(F_SNAPSHOT);
    const n = b.length - 1;
    expect([b.ts[n], b.tsRecv[n], b.sequence[n], b.price[n], b.size[n], b.flags[n]]).toEqual([
      1723161339996000,
      1723161338729327,
      5123114771684,
      63500,
      40.4,
      F_LAST,
    ]);
    expectOrdered(b);
    const t = r.trades;
    // First trade: buyer was not the maker → the buyer took liquidity.
    expect([t.ts[0], t.tsRecv[0], t.price[0], t.size[0], t.side[0], t.aux[0]]).toEqual([
      1723161256322000, 1723161255088176, 61800.3, 0.006, 1, 5266583935,
    ]);
    expect([t.price[t.length - 1], t.size[t.length - 1], t.aux[t.length - 1]]).toEqual([
      61803.9, 0.04, 5266586958,
    ]);
    // Trade ids are consecutive: no print lost.
    let jumps = 0;
    for (let i = 1; i < t.length; i++) if (t.aux[i]! - t.aux[i - 1]! !== 1) jumps++;
    expect(jumps).toBe(0);
    const q = r.quotes;
    expect([q.sequence[0], q.price[0], q.size[0], q.price2[0], q.size2[0]]).toEqual([
      5123107839020, 61800.2, 2.507, 61800.3, 2.51,
    ]);
  });

  it('spot: U = previous u + 1 continuity, bookTickers without an event type or time', () => {
    const r = loadReplayFiles([fx('binance/spot_btcusdt_20240808_first15000lines.jsonl.gz')], {
      format: 'binance',
      instrumentId: id,
    });
    expect(r.report.malformedCount).toBe(0);
    expect(r.report.gaps).toBe(0);
    expect(r.report.skipped.get('before_snapshot')!.count).toBe(2);
    expect([...r.report.skipped.keys()]).toEqual(['before_snapshot']);
    expect(r.report.events.trade).toBe(2744);
    expect(r.report.events.delta).toBe(42644);
    expect(r.quotes.length).toBe(r.report.events.quote);
    expect(r.quotes.length).toBeGreaterThan(10000);
    // The spot REST snapshot has no time: it takes the first diff applied on it.
    expect([r.book.ts[0], r.book.sequence[0]]).toEqual([1723161255408000, 50093239218]);
    expectOrdered(r.book);
    expectOrdered(r.quotes);
  });

  it('counts and skips malformed lines, reporting the first error per kind', () => {
    const ok = (ns: number, U: number, u: number, pu: number, b = '["100.0","1.0"]') =>
      `${ns} {"stream":"x@depth","data":{"e":"depthUpdate","E":1000,"T":1000,"s":"X","U":${U},"u":${u},"pu":${pu},"b":[${b}],"a":[["101.0","2.0"]]}}`;
    const text = [
      `5000000 {"lastUpdateId":10,"E":1000,"T":1000,"bids":[["99.0","1"]],"asks":[["102.0","1"]]}`,
      ok(6000000, 9, 11, 8),
      'not-a-number {"e":"trade"}',
      '7000000 {"e":"trade","E":1001,"T":1001,"t":1,"p":"oops","q":"1","m":true}',
      '7000000 {"e":"trade","E":1001,"T":1001,"t":2,"p":"100.5","q":"1","m":true}',
      '7100000 {broken json',
      ok(8000000, 12, 13, 11, '["-5","1.0"]'),
      ok(9000000, 12, 13, 11),
      '9500000 {"e":"kline","E":1002}',
      ok(10000000, 20, 21, 19),
    ].join('\n');
    const r = parseBinanceCapture(text, { instrumentId: id, file: 'cap.jsonl' });
    expect(r.report.malformedCount).toBe(4);
    expect(r.report.malformed.get('receive_time')!.count).toBe(1);
    expect(r.report.malformed.get('trade')!.first).toBe('cap.jsonl:4: p "oops" is not a positive number');
    expect(r.report.malformed.get('json')!.first).toMatch(/^cap\.jsonl:6: /);
    expect(r.report.malformed.get('depthUpdate')!.first).toBe(
      'cap.jsonl:7: b[0].price "-5" is not a positive number',
    );
    expect(r.report.skipped.get('unknown:kline')!.count).toBe(1);
    // The last diff jumps from u 13 to U 20: a gap, and (resync) dropped for want of a later snapshot.
    expect(r.report.gaps).toBe(1);
    expect(r.report.firstGap).toBe('cap.jsonl:10: pu 19 is not the previous u 13');
    expect(r.report.skipped.get('no_snapshot')!.count).toBe(1);
    expect(r.trades.length).toBe(1);
    expect(r.report.events.update).toBe(2);
    // Continue-on-gap applies it anyway (still counted).
    const c = parseBinanceCapture(text, { instrumentId: id, file: 'cap.jsonl', onGap: 'continue' });
    expect([c.report.gaps, c.report.events.update]).toEqual([1, 3]);
  });
});

describe('tardis.dev CSV loader', () => {
  const load = (f: string) => loadReplayFiles([fx(`tardis/${f}`)], { format: 'tardis', instrumentId: id });

  it('incremental_book_L2: one snapshot message, exchange and local µs timestamps', () => {
    const r = load('deribit_incremental_book_L2_BTC-PERPETUAL.csv');
    expect(r.symbol).toBe('BTC-PERPETUAL');
    expect(r.report.events).toEqual({ snapshot: 1, delta: 15 });
    const b = r.book;
    expect(b.length).toBe(16);
    expect([b.kind[0], b.ts[0], b.tsRecv[0]]).toEqual([
      MarketEventKind.BookClear,
      1585699200245000,
      1585699200355684,
    ]);
    expect([b.side[1], b.price[1], b.size[1], b.flags[1]]).toEqual([-1, 6421.5, 18640, F_SNAPSHOT]);
    expect([b.price[15], b.size[15], b.flags[15]]).toEqual([6428.5, 39950, F_SNAPSHOT | F_LAST]);
  });

  it('incremental_book_L2: a snapshot after updates empties the book first; one message per timestamp', () => {
    const r = load('deltas_with_snapshot.csv');
    expect(r.report.events).toEqual({ snapshot: 2, delta: 9 });
    const b = r.book;
    const kinds = Array.from(b.kind.subarray(0, b.length));
    expect(kinds.filter((k) => k === MarketEventKind.BookClear)).toHaveLength(2);
    expect(b.kind[6]).toBe(MarketEventKind.BookClear);
    expect([b.sequence[b.length - 1], b.price[b.length - 1], b.size[b.length - 1]]).toEqual([7, 50102, 2]);
    expectOrdered(b);
  });

  it('book_snapshot_25: each row is a full book', () => {
    const r = load('binance-futures_book_snapshot_25_BTCUSDT.csv');
    expect(r.report.events).toEqual({ snapshot: 10, delta: 500 });
    const b = r.book;
    expect([b.price[1], b.size[1], b.side[1]]).toEqual([11657.07, 10.896, 1]);
    expect(b.flags[50]).toBe(F_SNAPSHOT | F_LAST);
    expect(b.kind[51]).toBe(MarketEventKind.BookClear);
  });

  it('trades: aggressor side, non-numeric ids stored as 0', () => {
    const r = load('bitmex_trades_XBTUSD.csv');
    const t = r.trades;
    expect(t.length).toBe(10);
    expect([t.ts[0], t.tsRecv[0], t.price[0], t.size[0], t.side[0], t.aux[0]]).toEqual([
      1583020803145000, 1583020803307160, 8531.5, 2152, -1, 0,
    ]);
  });

  it('counts and skips malformed rows; refuses an unknown header', () => {
    const text = [
      'exchange,symbol,timestamp,local_timestamp,id,side,price,amount',
      'x,S,1000000,1000100,1,buy,10,1',
      'x,S,1000001,1000101,2,up,10,1',
      'x,S,1000002,1000102,3,sell,10',
      'x,T,1000003,1000103,4,sell,10,1',
      'x,S,1000004,1000104,5,sell,11,2',
    ].join('\n');
    const r = parseTardisCsv(text, { instrumentId: id, file: 't.csv' });
    expect(r.trades.length).toBe(2);
    expect(r.report.malformed.get('trades')).toEqual({
      count: 2,
      first: 't.csv:3: side "up" is not buy, sell or unknown',
    });
    expect(r.report.skipped.get('other_symbol')!.count).toBe(1);
    expect(() => parseTardisCsv('a,b\n1,2', { instrumentId: id, file: 'z.csv' })).toThrow(/z\.csv:1: header/);
  });
});

describe('Nautilus Binance depth CSV loader', () => {
  const files = [
    fx('nautilus/binance_btcusdt-depth-snap.csv'),
    fx('nautilus/binance_btcusdt-depth-update.csv'),
  ];

  it('reports that the update file does not continue the snapshot (10 minutes later), and can apply it anyway', () => {
    const r = loadReplayFiles(files, { format: 'nautilus', instrumentId: id });
    expect(r.report.lines).toBe(200);
    expect(r.report.gaps).toBe(1);
    expect(r.report.firstGap).toMatch(
      /first update U 2098041693435 is after the snapshot's lastUpdateId 2098021528332/,
    );
    expect(r.book.length).toBe(0);
    const c = loadReplayFiles(files, { format: 'nautilus', instrumentId: id, onGap: 'continue' });
    expect(c.report.events).toEqual({ snapshot: 1, delta: 200, update: 1 });
    const b = c.book;
    expect([b.ts[0], b.sequence[0], b.price[1], b.size[1]]).toEqual([
      1667346579146000, 2098021528332, 20377, 1.77,
    ]);
    expect([b.ts[101], b.sequence[101], b.price[101], b.size[101]]).toEqual([
      1667347199939000, 2098041696700, 20472.8, 0,
    ]);
    expect(b.flags[b.length - 1]).toBe(F_LAST);
  });

  it('counts a malformed row', () => {
    const h = 'symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu';
    const r = parseNautilusDepthCsv(
      [
        {
          file: 'n.csv',
          text: `${h}\nX,1000,5,5,b,snap,10,1,-1\nX,1000,5,5,b,snap,10,x,-1\nX,1001,5,7,a,set,11,1,4`,
        },
      ],
      { instrumentId: id },
    );
    expect(r.report.malformed.get('depth')).toEqual({
      count: 1,
      first: 'n.csv:3: qty "x" is not a size >= 0',
    });
    expect(r.report.gaps).toBe(0);
    expect(r.book.length).toBe(3);
  });
});
