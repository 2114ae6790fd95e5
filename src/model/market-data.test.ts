import { describe, expect, it } from 'vitest';
import { instrumentId } from './ids.js';
import {
  ASK,
  BID,
  BookDelta,
  F_LAST,
  FundingRate,
  MarketEventColumns,
  MarketEventKind,
  QuoteTick,
  TradeTick,
} from './market-data.js';

const ID = instrumentId('BTCUSDT.BINANCE');

describe('MarketEventColumns', () => {
  it('stores events of every kind as columns, grows, and reads them back into reused objects', () => {
    const c = new MarketEventColumns(ID, 1, { quotes: true });
    c.addDelta(1_000, 1_500, 7, ASK, 101.5, 2, F_LAST);
    c.addTrade(2_000, 2_400, 101.5, 0.5, 1, 99);
    c.addQuote(3_000, 3_100, 101, 1, 101.5, 1.5);
    c.addFundingRate(4_000, 4_000, 0.0001, 28_800_000_000);
    expect(c.length).toBe(4);
    expect(c.capacity).toBeGreaterThanOrEqual(4);
    expect([...c.kind.subarray(0, 4)]).toEqual([
      MarketEventKind.BookDelta,
      MarketEventKind.Trade,
      MarketEventKind.Quote,
      MarketEventKind.FundingRate,
    ]);
    const d = c.readDelta(0, new BookDelta(ID));
    expect([d.ts, d.tsRecv, d.sequence, d.side, d.price, d.size, d.flags]).toEqual([
      1_000,
      1_500,
      7,
      ASK,
      101.5,
      2,
      F_LAST,
    ]);
    const t = c.readTrade(1, new TradeTick(ID));
    expect([t.price, t.size, t.aggressor, t.tradeId, t.tsRecv]).toEqual([101.5, 0.5, 1, 99, 2_400]);
    const q = c.readQuote(2, new QuoteTick(ID));
    expect([q.bidPrice, q.bidSize, q.askPrice, q.askSize]).toEqual([101, 1, 101.5, 1.5]);
    const f = c.readFundingRate(3, new FundingRate(ID));
    expect([f.rate, f.fundingTs]).toEqual([0.0001, 28_800_000_000]);
    expect(c.trim().capacity).toBe(4);
    expect(c.side[0]).toBe(ASK);
    expect(BID).toBe(1);
  });

  it('rejects bad input naming the field and value', () => {
    const c = new MarketEventColumns(ID);
    expect(() => c.addDelta(1.5, 2, 1, BID, 10, 1)).toThrow(/event.ts/);
    expect(() => c.addDelta(1, 2, 1, BID, -10, 1)).toThrow(/delta.price.*-10/);
    expect(() => c.addTrade(1, 2, 10, 0, 1)).toThrow(/trade.size/);
    expect(() => c.addQuote(1, 2, 10, 1, 11, 1)).toThrow(/columns.quotes/);
    expect(() => c.addFundingRate(1, 2, 5)).toThrow(/funding.rate/);
  });
});
