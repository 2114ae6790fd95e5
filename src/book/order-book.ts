import {
  ASK,
  BID,
  type BookSideCode,
  type BookSnapshot,
  type InstrumentId,
  TickerError,
  type UnixMicros,
  invalid,
} from '../model/index.js';
import { Ladder } from './ladder.js';

/** What `applyDelta` did. */
export const DeltaStatus = {
  Applied: 0,
  /** The delta's sequence is older than the book's: ignored. */
  Stale: 1,
  /** Applied, but updates were missed before it: the book should be rebuilt from a snapshot. */
  Gap: 2,
} as const;
export type DeltaStatusCode = (typeof DeltaStatus)[keyof typeof DeltaStatus];

export interface OrderBookOptions {
  /**
   * The venue numbers every update 1, 2, 3… (Bybit `u`, Coinbase `sequence`): any jump is a gap. Off by
   * default, because venues such as Binance number updates sparsely and need `beginUpdate` instead.
   */
  readonly contiguous?: boolean;
}

/** The result of walking one side of the book for a size (filled in place; reuse one object). */
export class BookWalk {
  /** Quantity the visible book could fill (≤ the quantity asked). */
  filled = 0;
  /** Σ price × size over the levels taken. */
  notional = 0;
  /** Volume-weighted average price of the walk; NaN when nothing filled. */
  vwap = Number.NaN;
  /** Price of the last (worst) level touched. */
  worstPrice = Number.NaN;
  /** Best price before the walk. */
  bestPrice = Number.NaN;
  levels = 0;
  /** How much worse than the best price the average is, in price (≥ 0) and in basis points of the best. */
  slippage = 0;
  slippageBps = 0;
}

/**
 * An L2 (price-level) order book of one instrument, built from a snapshot and incremental deltas. It
 * tracks the venue's sequence numbers to notice missed updates and counts crossed states. Queries
 * answer what a taker would see: best prices, depth, volume up to a price, the cost of a size.
 */
export class OrderBook {
  readonly instrumentId: InstrumentId;
  readonly bids = new Ladder(1);
  readonly asks = new Ladder(-1);
  readonly contiguous: boolean;
  /** The last applied sequence; -1 before the first. */
  sequence = -1;
  /** Exchange time of the last change. */
  ts: UnixMicros = 0;
  /** Size the level had before the last `applyDelta` (the venue's queue models need it). */
  prevSize = 0;
  gapCount = 0;
  staleCount = 0;
  /** True after a gap until the next snapshot. */
  needsSnapshot = false;

  constructor(instrumentId: InstrumentId, opts: OrderBookOptions = {}) {
    this.instrumentId = instrumentId;
    this.contiguous = opts.contiguous ?? false;
  }

  ladder(side: BookSideCode): Ladder {
    return side === BID ? this.bids : this.asks;
  }

  /**
   * Sets the level at `price` on `side` to `size` (0 removes it). Sequence 0 means "unnumbered" and is
   * never stale. Hot path: no allocation; the previous size is left in `prevSize`.
   */
  applyDelta(
    side: BookSideCode,
    price: number,
    size: number,
    sequence: number,
    ts: UnixMicros,
  ): DeltaStatusCode {
    let status: DeltaStatusCode = DeltaStatus.Applied;
    if (sequence !== 0) {
      const last = this.sequence;
      if (sequence < last) {
        this.staleCount++;
        this.prevSize = size;
        return DeltaStatus.Stale;
      }
      if (this.contiguous && last >= 0 && sequence > last + 1) {
        this.gapCount++;
        this.needsSnapshot = true;
        status = DeltaStatus.Gap;
      }
      this.sequence = sequence;
    }
    this.prevSize = (side === BID ? this.bids : this.asks).set(price, size);
    this.ts = ts;
    return status;
  }

  /**
   * Binance's continuity rule for one depth message covering update ids [first, last], whose previous
   * message ended at `prev` (USDⓈ-M `pu`; pass NaN for spot, where the rule is first = last seen + 1).
   * Returns Stale when the whole message is older than the book (drop it), Gap when updates were missed.
   * See https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly
   */
  beginUpdate(first: number, last: number, prev = Number.NaN): DeltaStatusCode {
    if (last < first) throw invalid('update.last', last, `must be >= first ${first}`);
    const seen = this.sequence;
    if (seen < 0) return DeltaStatus.Applied;
    if (last <= seen) {
      this.staleCount++;
      return DeltaStatus.Stale;
    }
    // The first message after a snapshot straddles it (first <= seen + 1 <= last); later ones chain by `prev`.
    const ok = first <= seen + 1 || (!Number.isNaN(prev) && prev === seen);
    if (!ok) {
      this.gapCount++;
      this.needsSnapshot = true;
      return DeltaStatus.Gap;
    }
    return DeltaStatus.Applied;
  }

  /** Replaces the whole book (levels best first) and resets the sequence. */
  applySnapshot(s: BookSnapshot): void {
    if (s.bidPrices.length !== s.bidSizes.length)
      throw invalid(
        'snapshot.bidSizes.length',
        s.bidSizes.length,
        `must equal bidPrices.length ${s.bidPrices.length}`,
      );
    if (s.askPrices.length !== s.askSizes.length)
      throw invalid(
        'snapshot.askSizes.length',
        s.askSizes.length,
        `must equal askPrices.length ${s.askPrices.length}`,
      );
    this.clear();
    for (let i = 0; i < s.bidPrices.length; i++)
      this.setLevel(BID, s.bidPrices[i]!, s.bidSizes[i]!, 'bid', i);
    for (let i = 0; i < s.askPrices.length; i++)
      this.setLevel(ASK, s.askPrices[i]!, s.askSizes[i]!, 'ask', i);
    this.sequence = s.sequence;
    this.ts = s.ts;
    this.needsSnapshot = false;
  }

  private setLevel(side: BookSideCode, price: number, size: number, name: string, i: number): void {
    if (!(price > 0 && Number.isFinite(price)))
      throw invalid(`snapshot.${name}Prices[${i}]`, price, 'must be a positive number');
    if (!(size >= 0 && Number.isFinite(size)))
      throw invalid(`snapshot.${name}Sizes[${i}]`, size, 'must be a number >= 0');
    this.ladder(side).set(price, size);
  }

  /** Empties both sides (the start of a snapshot delivered as deltas). */
  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.needsSnapshot = false;
  }

  get bestBidPrice(): number {
    return this.bids.priceAt(0);
  }
  get bestAskPrice(): number {
    return this.asks.priceAt(0);
  }
  get bestBidSize(): number {
    return this.bids.sizeAtLevel(0);
  }
  get bestAskSize(): number {
    return this.asks.sizeAtLevel(0);
  }
  /** (bid + ask) / 2; NaN when a side is empty. */
  get mid(): number {
    return (this.bids.priceAt(0) + this.asks.priceAt(0)) / 2;
  }
  get spread(): number {
    return this.asks.priceAt(0) - this.bids.priceAt(0);
  }
  /** Best bid at or above best ask: the book is inconsistent (missed update, or mid-message). */
  get isCrossed(): boolean {
    return this.bids.n > 0 && this.asks.n > 0 && this.bids.priceAt(0) >= this.asks.priceAt(0);
  }

  sizeAt(side: BookSideCode, price: number): number {
    return this.ladder(side).sizeAt(price);
  }

  /** Writes up to `levels` best levels of `side` into the arrays; returns how many were written. */
  depth(side: BookSideCode, levels: number, outPrices: Float64Array, outSizes: Float64Array): number {
    const l = this.ladder(side);
    const k = Math.min(levels, l.n, outPrices.length, outSizes.length);
    for (let j = 0; j < k; j++) {
      const i = l.n - 1 - j;
      outPrices[j] = l.keys[i]! * l.dir;
      outSizes[j] = l.sizes[i]!;
    }
    return k;
  }

  /** Total size on `side` at `price` or better (bids ≥ price, asks ≤ price). */
  volumeUpTo(side: BookSideCode, price: number): number {
    const l = this.ladder(side);
    const key = price * l.dir;
    let v = 0;
    for (let i = l.n - 1; i >= 0 && l.keys[i]! >= key; i--) v += l.sizes[i]!;
    return v;
  }

  /**
   * The cost of taking `quantity` from `side` (ASK for a buy, BID for a sell), optionally no worse than
   * `limitPrice`. Fills `out` and returns it. The walk is the temporary impact of a market order.
   */
  walk(side: BookSideCode, quantity: number, out: BookWalk, limitPrice = Number.NaN): BookWalk {
    if (!(quantity > 0))
      throw new TickerError('INVALID_ARGUMENT', `walk.quantity: must be positive (got ${quantity})`, {
        field: 'walk.quantity',
        value: quantity,
      });
    const l = this.ladder(side);
    const limitKey = Number.isNaN(limitPrice) ? -Infinity : limitPrice * l.dir;
    let left = quantity;
    let notional = 0;
    let levels = 0;
    let worst = Number.NaN;
    for (let i = l.n - 1; i >= 0 && left > 0; i--) {
      const key = l.keys[i]!;
      if (key < limitKey) break;
      const take = Math.min(left, l.sizes[i]!);
      const p = key * l.dir;
      notional += take * p;
      left -= take;
      worst = p;
      levels++;
    }
    const filled = quantity - left;
    out.filled = filled;
    out.notional = notional;
    out.levels = levels;
    out.worstPrice = worst;
    out.bestPrice = l.priceAt(0);
    out.vwap = filled > 0 ? notional / filled : Number.NaN;
    // Adverse is higher for a buy (taking asks), lower for a sell.
    out.slippage = filled > 0 ? (out.vwap - out.bestPrice) * -l.dir : 0;
    out.slippageBps = filled > 0 ? (out.slippage / out.bestPrice) * 10_000 : 0;
    return out;
  }
}
