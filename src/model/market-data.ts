import { invalid } from './errors.js';
import type { InstrumentId, UnixMicros } from './ids.js';

/**
 * Market data below the bar: quotes, trades, L2 book deltas and snapshots, funding rates and mark prices.
 * Every event carries two clocks in integer µs: `ts` is the venue's own timestamp (when it happened) and
 * `tsRecv` the local receive time (when a live system would have known). Replays order by one or the
 * other (data/synchronizer.ts).
 *
 * Two representations: small mutable classes the engine reuses for dispatch (one object per instrument,
 * overwritten per event, like `Bar`: copy what you keep), and `MarketEventColumns`, typed arrays that hold
 * millions of events without one object each (the replay hot path).
 */

/** Book sides and trade aggressors as small integers, for typed arrays and branch-free code. */
export const BID = 1;
export const ASK = -1;
/** The taker bought (lifted the ask) / sold (hit the bid) / the venue did not say. */
export const AGGRESSOR_BUY = 1;
export const AGGRESSOR_SELL = -1;
export const AGGRESSOR_NONE = 0;
export type BookSideCode = 1 | -1;
export type AggressorCode = 1 | -1 | 0;

export type BookSide = 'bid' | 'ask';
export type AggressorSide = 'buy' | 'sell' | 'none';

export const bookSideCode = (s: BookSide): BookSideCode => (s === 'bid' ? BID : ASK);
export const aggressorCode = (s: AggressorSide): AggressorCode => (s === 'buy' ? 1 : s === 'sell' ? -1 : 0);
export const aggressorName = (c: number): AggressorSide => (c > 0 ? 'buy' : c < 0 ? 'sell' : 'none');

/** Event kinds in `MarketEventColumns.kind`. */
export const MarketEventKind = {
  /** Set a price level to `size` (0 removes it). */
  BookDelta: 1,
  Trade: 2,
  Quote: 3,
  FundingRate: 4,
  MarkPrice: 5,
  /** Empty the book (the first event of a snapshot). */
  BookClear: 6,
} as const;
export type MarketEventKindCode = (typeof MarketEventKind)[keyof typeof MarketEventKind];

/** `flags` bits. F_LAST marks the last delta of one venue message (NautilusTrader's flag of that name):
 * the book is consistent (and may be shown to strategies) only after it. */
export const F_LAST = 1;
/** The delta belongs to a snapshot rather than an incremental update. */
export const F_SNAPSHOT = 2;

export class QuoteTick {
  instrumentId: InstrumentId;
  ts: UnixMicros = 0;
  tsRecv: UnixMicros = 0;
  bidPrice = Number.NaN;
  bidSize = 0;
  askPrice = Number.NaN;
  askSize = 0;
  constructor(instrumentId: InstrumentId) {
    this.instrumentId = instrumentId;
  }
}

export class TradeTick {
  instrumentId: InstrumentId;
  ts: UnixMicros = 0;
  tsRecv: UnixMicros = 0;
  price = 0;
  size = 0;
  /** AGGRESSOR_BUY (1), AGGRESSOR_SELL (-1) or AGGRESSOR_NONE (0). */
  aggressor: AggressorCode = 0;
  /** The venue's trade id (numeric: every venue we replay numbers its trades). */
  tradeId = 0;
  constructor(instrumentId: InstrumentId) {
    this.instrumentId = instrumentId;
  }
}

export class BookDelta {
  instrumentId: InstrumentId;
  ts: UnixMicros = 0;
  tsRecv: UnixMicros = 0;
  /** The venue's update id; monotone, equal for deltas of one message. */
  sequence = 0;
  side: BookSideCode = BID;
  price = 0;
  /** New size at the level; 0 removes the level. */
  size = 0;
  flags = 0;
  constructor(instrumentId: InstrumentId) {
    this.instrumentId = instrumentId;
  }
}

/** A full L2 picture: levels best first, as parallel arrays. */
export interface BookSnapshot {
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMicros;
  readonly tsRecv: UnixMicros;
  readonly sequence: number;
  readonly bidPrices: ArrayLike<number>;
  readonly bidSizes: ArrayLike<number>;
  readonly askPrices: ArrayLike<number>;
  readonly askSizes: ArrayLike<number>;
}

/** A perpetual's funding rate for the period ending at `fundingTs` (fraction per period; > 0: longs pay shorts). */
export class FundingRate {
  instrumentId: InstrumentId;
  ts: UnixMicros = 0;
  tsRecv: UnixMicros = 0;
  rate = 0;
  /** When this rate is (or was) settled; NaN when the feed does not say. */
  fundingTs: UnixMicros = Number.NaN;
  constructor(instrumentId: InstrumentId) {
    this.instrumentId = instrumentId;
  }
}

export class MarkPrice {
  instrumentId: InstrumentId;
  ts: UnixMicros = 0;
  tsRecv: UnixMicros = 0;
  price = 0;
  /** The index price the mark is built from; NaN when the feed does not say. */
  indexPrice = Number.NaN;
  constructor(instrumentId: InstrumentId) {
    this.instrumentId = instrumentId;
  }
}

/**
 * One stream of market events of one instrument, as columns. Meaning of the value columns per kind:
 * - BookDelta: side (BID/ASK), price, size (0 = remove), flags, sequence.
 * - Trade: side = aggressor, price, size, aux = trade id.
 * - Quote: price/size = bid, price2/size2 = ask.
 * - FundingRate: price = rate, aux = funding time (NaN if unknown).
 * - MarkPrice: price = mark, aux = index price.
 * `price2`/`size2` have length 0 unless the stream was built with quotes (they cost 16 bytes an event).
 */
export class MarketEventColumns {
  readonly instrumentId: InstrumentId;
  length = 0;
  kind: Uint8Array;
  ts: Float64Array;
  tsRecv: Float64Array;
  sequence: Float64Array;
  side: Int8Array;
  flags: Uint8Array;
  price: Float64Array;
  size: Float64Array;
  aux: Float64Array;
  price2: Float64Array;
  size2: Float64Array;
  private readonly withQuotes: boolean;

  constructor(instrumentId: InstrumentId, capacity = 1024, opts: { quotes?: boolean } = {}) {
    if (!(Number.isInteger(capacity) && capacity >= 0))
      throw invalid('columns.capacity', capacity, 'must be an integer >= 0');
    this.instrumentId = instrumentId;
    this.withQuotes = opts.quotes ?? false;
    const c = Math.max(capacity, 1);
    this.kind = new Uint8Array(c);
    this.ts = new Float64Array(c);
    this.tsRecv = new Float64Array(c);
    this.sequence = new Float64Array(c);
    this.side = new Int8Array(c);
    this.flags = new Uint8Array(c);
    this.price = new Float64Array(c);
    this.size = new Float64Array(c);
    this.aux = new Float64Array(c);
    this.price2 = new Float64Array(this.withQuotes ? c : 0);
    this.size2 = new Float64Array(this.withQuotes ? c : 0);
  }

  get capacity(): number {
    return this.kind.length;
  }

  private row(kind: number, ts: number, tsRecv: number): number {
    if (!Number.isInteger(ts)) throw invalid('event.ts', ts, 'must be integer microseconds');
    if (!Number.isInteger(tsRecv)) throw invalid('event.tsRecv', tsRecv, 'must be integer microseconds');
    const i = this.length;
    if (i === this.kind.length) this.grow(i * 2);
    this.kind[i] = kind;
    this.ts[i] = ts;
    this.tsRecv[i] = tsRecv;
    this.length = i + 1;
    return i;
  }

  addDelta(
    ts: number,
    tsRecv: number,
    sequence: number,
    side: BookSideCode,
    price: number,
    size: number,
    flags = F_LAST,
  ): number {
    if (side !== BID && side !== ASK) throw invalid('delta.side', side, 'must be BID (1) or ASK (-1)');
    if (!(price > 0 && Number.isFinite(price)))
      throw invalid('delta.price', price, 'must be a positive number');
    if (!(size >= 0 && Number.isFinite(size))) throw invalid('delta.size', size, 'must be a number >= 0');
    const i = this.row(MarketEventKind.BookDelta, ts, tsRecv);
    this.sequence[i] = sequence;
    this.side[i] = side;
    this.price[i] = price;
    this.size[i] = size;
    this.flags[i] = flags;
    return i;
  }

  addClear(ts: number, tsRecv: number, sequence: number): number {
    const i = this.row(MarketEventKind.BookClear, ts, tsRecv);
    this.sequence[i] = sequence;
    this.flags[i] = F_SNAPSHOT;
    return i;
  }

  addTrade(
    ts: number,
    tsRecv: number,
    price: number,
    size: number,
    aggressor: AggressorCode,
    tradeId = 0,
    sequence = 0,
  ): number {
    if (!(price > 0 && Number.isFinite(price)))
      throw invalid('trade.price', price, 'must be a positive number');
    if (!(size > 0 && Number.isFinite(size))) throw invalid('trade.size', size, 'must be a positive number');
    if (aggressor !== 1 && aggressor !== -1 && aggressor !== 0)
      throw invalid('trade.aggressor', aggressor, 'must be 1, -1 or 0');
    const i = this.row(MarketEventKind.Trade, ts, tsRecv);
    this.sequence[i] = sequence;
    this.side[i] = aggressor;
    this.price[i] = price;
    this.size[i] = size;
    this.aux[i] = tradeId;
    return i;
  }

  addQuote(
    ts: number,
    tsRecv: number,
    bidPrice: number,
    bidSize: number,
    askPrice: number,
    askSize: number,
    sequence = 0,
  ): number {
    if (!this.withQuotes)
      throw invalid('columns.quotes', false, 'build the columns with { quotes: true } to hold quotes');
    const i = this.row(MarketEventKind.Quote, ts, tsRecv);
    this.sequence[i] = sequence;
    this.price[i] = bidPrice;
    this.size[i] = bidSize;
    this.price2[i] = askPrice;
    this.size2[i] = askSize;
    return i;
  }

  addFundingRate(ts: number, tsRecv: number, rate: number, fundingTs = Number.NaN): number {
    if (!Number.isFinite(rate) || Math.abs(rate) >= 1)
      throw invalid('funding.rate', rate, 'must be a fraction between -1 and 1');
    const i = this.row(MarketEventKind.FundingRate, ts, tsRecv);
    this.price[i] = rate;
    this.aux[i] = fundingTs;
    return i;
  }

  addMarkPrice(ts: number, tsRecv: number, price: number, indexPrice = Number.NaN): number {
    if (!(price > 0 && Number.isFinite(price)))
      throw invalid('mark.price', price, 'must be a positive number');
    const i = this.row(MarketEventKind.MarkPrice, ts, tsRecv);
    this.price[i] = price;
    this.aux[i] = indexPrice;
    return i;
  }

  readDelta(i: number, out: BookDelta): BookDelta {
    out.ts = this.ts[i]!;
    out.tsRecv = this.tsRecv[i]!;
    out.sequence = this.sequence[i]!;
    out.side = this.side[i]! > 0 ? BID : ASK;
    out.price = this.price[i]!;
    out.size = this.size[i]!;
    out.flags = this.flags[i]!;
    return out;
  }

  readTrade(i: number, out: TradeTick): TradeTick {
    out.ts = this.ts[i]!;
    out.tsRecv = this.tsRecv[i]!;
    out.price = this.price[i]!;
    out.size = this.size[i]!;
    const a = this.side[i]!;
    out.aggressor = a > 0 ? 1 : a < 0 ? -1 : 0;
    out.tradeId = this.aux[i]!;
    return out;
  }

  readQuote(i: number, out: QuoteTick): QuoteTick {
    out.ts = this.ts[i]!;
    out.tsRecv = this.tsRecv[i]!;
    out.bidPrice = this.price[i]!;
    out.bidSize = this.size[i]!;
    out.askPrice = this.price2[i]!;
    out.askSize = this.size2[i]!;
    return out;
  }

  readFundingRate(i: number, out: FundingRate): FundingRate {
    out.ts = this.ts[i]!;
    out.tsRecv = this.tsRecv[i]!;
    out.rate = this.price[i]!;
    out.fundingTs = this.aux[i]!;
    return out;
  }

  readMarkPrice(i: number, out: MarkPrice): MarkPrice {
    out.ts = this.ts[i]!;
    out.tsRecv = this.tsRecv[i]!;
    out.price = this.price[i]!;
    out.indexPrice = this.aux[i]!;
    return out;
  }

  /** Shrinks the arrays to the rows written (after loading). */
  trim(): this {
    if (this.length < this.kind.length) this.grow(Math.max(this.length, 1));
    return this;
  }

  private grow(cap: number): void {
    const n = this.length;
    const f64 = (a: Float64Array, keep: boolean): Float64Array => {
      const b = new Float64Array(keep ? cap : 0);
      if (keep) b.set(a.subarray(0, n));
      return b;
    };
    const k = new Uint8Array(cap);
    k.set(this.kind.subarray(0, n));
    this.kind = k;
    const s = new Int8Array(cap);
    s.set(this.side.subarray(0, n));
    this.side = s;
    const fl = new Uint8Array(cap);
    fl.set(this.flags.subarray(0, n));
    this.flags = fl;
    this.ts = f64(this.ts, true);
    this.tsRecv = f64(this.tsRecv, true);
    this.sequence = f64(this.sequence, true);
    this.price = f64(this.price, true);
    this.size = f64(this.size, true);
    this.aux = f64(this.aux, true);
    this.price2 = f64(this.price2, this.withQuotes);
    this.size2 = f64(this.size2, this.withQuotes);
  }
}
