import { describe, expect, it } from 'vitest';
import { decodeMd, encodeMd, mdMsgId } from './md-messages.js';
import { mdNames, subjectToken } from './md-names.js';

const book = {
  instrumentId: 'binance-usdm:BTCUSDT',
  ts: 1_723_075_200_123_000,
  tsRecv: 1_723_075_200_123_456,
  sequence: 4_937_123_456_789,
  snapshot: false,
  bids: [[61000.1, 0.5] as const, [61000, 0] as const],
  asks: [],
  mid: Number.NaN,
  spread: Number.NaN,
};

describe('market-data subjects and messages', () => {
  it('subjects are md.<kind>.<venue>.<symbol>, tokens sanitized; a prefix moves subjects and streams', () => {
    const n = mdNames();
    expect(n.subject('book', 'binance-usdm:BTCUSDT')).toBe('md.book.binance-usdm.BTCUSDT');
    expect(n.subject('trade', 'ccxt.kraken:BTC/USD T*>')).toBe('md.trade.ccxt_kraken.BTC_USD_T__');
    expect(n.subject('funding', 'PLAIN')).toBe('md.funding.unknown.PLAIN');
    expect(n.stream('book')).toBe('MD_BOOK');
    expect(n.filter('trade')).toBe('md.trade.>');
    const p = mdNames('t1');
    expect([p.stream('funding'), p.filter('funding')]).toEqual(['t1_MD_FUNDING', 't1.md.funding.>']);
    expect(subjectToken('')).toBe('_');
    expect(() => mdNames('a.b')).toThrow(/prefix/);
  });

  it('message ids name a row by the venue numbering; diffs and snapshots with one update id differ', () => {
    expect(mdMsgId({ kind: 'book', row: book })).toBe('binance-usdm:BTCUSDT:b:d:4937123456789');
    expect(mdMsgId({ kind: 'book', row: { ...book, snapshot: true } })).toBe(
      'binance-usdm:BTCUSDT:b:s:4937123456789',
    );
    const trade = {
      instrumentId: 'x:Y',
      ts: 1,
      tsRecv: 2,
      tradeId: 77,
      price: 1,
      size: 2,
      aggressor: -1 as const,
    };
    expect(mdMsgId({ kind: 'trade', row: trade })).toBe('x:Y:t:77');
    const f = { instrumentId: 'x:Y', ts: 5, tsRecv: 6, rate: 0.0001, fundingTs: 9, markPrice: 3 };
    expect(mdMsgId({ kind: 'funding', row: f })).toBe('x:Y:f:5');
  });

  it('round-trips rows (NaN mid/spread as null) and refuses malformed ones naming the field', () => {
    expect(decodeMd('book', encodeMd(book))).toEqual({ kind: 'book', row: book });
    const trade = { instrumentId: 'x:Y', ts: 1, tsRecv: 2, tradeId: 77, price: 1.5, size: 2, aggressor: 1 };
    expect(decodeMd('trade', encodeMd(trade)).row).toEqual(trade);
    expect(() => decodeMd('trade', encodeMd({ ...trade, aggressor: 0 }))).toThrow(/aggressor 0/);
    expect(() => decodeMd('book', encodeMd({ ...book, bids: [[1, 'x']] }))).toThrow(/bids/);
    expect(() => decodeMd('funding', encodeMd({ instrumentId: 'x', ts: 1.5, tsRecv: 1 }))).toThrow(/ts 1.5/);
    expect(() => decodeMd('book', new TextEncoder().encode('{nope'))).toThrow(
      /MD|malformed book message: json/,
    );
  });
});
