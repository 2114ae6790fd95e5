import { type OrderBook, BookWalk } from '../book/index.js';
import { ASK, BID, type UnixMicros, invalid } from '../model/index.js';

/** A venue's costs for cross-venue arbitrage. */
export interface ArbitrageVenue {
  readonly name: string;
  /** Taker fee rate (0.001 = 0.1%) charged on each leg's notional here. */
  readonly takerFee: number;
  /** Withdrawal fee in base units for moving the bought coins off this venue (default 0). */
  readonly withdrawalFeeBase?: number;
  /** Withdrawal fee in quote units for moving the sale proceeds off this venue (default 0). */
  readonly withdrawalFeeQuote?: number;
  /** Time for a base-asset withdrawal from this venue to arrive elsewhere, µs (default 0). */
  readonly transferUs?: number;
}

export interface ArbitrageOptions {
  readonly venues: readonly ArbitrageVenue[];
  /** Base quantity per opportunity: both books are walked for it. */
  readonly size: number;
  /** Smallest expected P&L (quote) that counts as an opportunity (default 0: anything that pays). */
  readonly minPnl?: number;
  /**
   * Price risk while the coins travel: a cost of notional × this (bps) × √(transfer hours). Default 0.
   * E.g. 50 bps for a one-sigma hourly move of BTC.
   */
  readonly transferRiskBps?: number;
  /** Books older than this relative to the update being evaluated are ignored (default: no limit). */
  readonly maxStaleUs?: number;
  /** An opportunity "would have paid" if it lived at least this long (time to act; default 0). */
  readonly actUs?: number;
}

/** One buy-here-sell-there window, from the first update that paid to the first that did not. */
export interface ArbitrageOpportunity {
  readonly buyVenue: string;
  readonly sellVenue: string;
  readonly firstSeen: UnixMicros;
  lastSeen: UnixMicros;
  /** The update at which it no longer paid (NaN while open; the end of data for `finish`). */
  goneAt: number;
  readonly firstPnl: number;
  bestPnl: number;
  lastPnl: number;
  readonly buyVwap: number;
  readonly sellVwap: number;
}

export interface ArbitrageReport {
  readonly evaluations: number;
  /** Evaluations where the sell venue's best bid was above the buy venue's best ask (before costs). */
  readonly crossedBeforeCosts: number;
  readonly opportunities: number;
  /** Opportunities that lived at least `actUs`. */
  readonly wouldHavePaid: number;
  /** Σ expected P&L at first sight of those that would have paid. */
  readonly expectedPnl: number;
  readonly medianLifetimeUs: number;
  readonly maxLifetimeUs: number;
  readonly bestPnl: number;
}

/** The expected P&L of buying `size` on one book and selling it on the other, and its parts. */
export interface ArbitrageQuote {
  pnl: number;
  buyVwap: number;
  sellVwap: number;
  fees: number;
  withdrawal: number;
  transferRisk: number;
}

/**
 * Cross-exchange arbitrage monitor: after every book update of a venue it prices buying `size` there
 * and selling it on each other venue (and the reverse) as a taker on both legs, walking both books (the
 * slippage of the size), paying both taker fees, the withdrawal fees to move the coins and the money back,
 * and optionally a price-risk charge for the transfer time. Each (buy venue, sell venue) window where the
 * expected P&L ≥ minPnl is one opportunity with its lifetime (first seen → first update it no longer
 * paid). Pure: books in, opportunities out (no I/O, no clock of its own).
 */
export class ArbitrageMonitor {
  readonly opts: ArbitrageOptions;
  readonly closed: ArbitrageOpportunity[] = [];
  readonly open = new Map<string, ArbitrageOpportunity>();
  evaluations = 0;
  crossedBeforeCosts = 0;
  private readonly venueIdx = new Map<string, number>();
  private readonly books: (OrderBook | undefined)[];
  private readonly seenAt: number[];
  private readonly buyWalk = new BookWalk();
  private readonly sellWalk = new BookWalk();
  private readonly q: ArbitrageQuote = {
    pnl: 0,
    buyVwap: 0,
    sellVwap: 0,
    fees: 0,
    withdrawal: 0,
    transferRisk: 0,
  };

  constructor(opts: ArbitrageOptions) {
    if (opts.venues.length < 2)
      throw invalid('arbitrage.venues', opts.venues.length, 'needs at least 2 venues');
    if (!(opts.size > 0)) throw invalid('arbitrage.size', opts.size, 'must be positive');
    opts.venues.forEach((v, i) => {
      if (this.venueIdx.has(v.name)) throw invalid(`arbitrage.venues.${i}.name`, v.name, 'is used twice');
      if (!(v.takerFee >= 0 && v.takerFee < 1))
        throw invalid(`arbitrage.venues.${i}.takerFee`, v.takerFee, 'must be in [0, 1)');
      this.venueIdx.set(v.name, i);
    });
    this.opts = opts;
    this.books = opts.venues.map(() => undefined);
    this.seenAt = opts.venues.map(() => Number.NaN);
  }

  /** One complete book update of `venue` at `ts` (the book is read now, not kept as a copy). */
  update(venue: string, book: OrderBook, ts: UnixMicros): void {
    const i = this.venueIdx.get(venue);
    if (i === undefined) throw invalid('arbitrage.venue', venue, 'is not configured');
    this.books[i] = book;
    this.seenAt[i] = ts;
    const stale = this.opts.maxStaleUs ?? Infinity;
    for (let j = 0; j < this.books.length; j++) {
      if (j === i) continue;
      const fresh = this.books[j] !== undefined && ts - this.seenAt[j]! <= stale;
      this.track(i, j, fresh, ts);
      this.track(j, i, fresh, ts);
    }
  }

  private track(buy: number, sell: number, fresh: boolean, ts: UnixMicros): void {
    const key = `${buy}>${sell}`;
    const q = fresh ? this.quote(buy, sell) : undefined;
    const pays = q !== undefined && q.pnl >= (this.opts.minPnl ?? 0) && q.pnl > 0;
    const cur = this.open.get(key);
    if (pays) {
      if (cur) {
        cur.lastSeen = ts;
        cur.lastPnl = q.pnl;
        if (q.pnl > cur.bestPnl) cur.bestPnl = q.pnl;
      } else
        this.open.set(key, {
          buyVenue: this.opts.venues[buy]!.name,
          sellVenue: this.opts.venues[sell]!.name,
          firstSeen: ts,
          lastSeen: ts,
          goneAt: Number.NaN,
          firstPnl: q.pnl,
          bestPnl: q.pnl,
          lastPnl: q.pnl,
          buyVwap: q.buyVwap,
          sellVwap: q.sellVwap,
        });
    } else if (cur) {
      cur.goneAt = ts;
      this.closed.push(cur);
      this.open.delete(key);
    }
  }

  /** Prices buy-on-`buy`, sell-on-`sell` for `size`; undefined when a book cannot fill the size. */
  quote(buy: number, sell: number): ArbitrageQuote | undefined {
    const bb = this.books[buy];
    const sb = this.books[sell];
    if (!bb || !sb) return undefined;
    this.evaluations++;
    if (sb.bestBidPrice > bb.bestAskPrice) this.crossedBeforeCosts++;
    const size = this.opts.size;
    const bw = bb.walk(ASK, size, this.buyWalk);
    const sw = sb.walk(BID, size, this.sellWalk);
    if (bw.filled < size - 1e-12 || sw.filled < size - 1e-12) return undefined;
    const vb = this.opts.venues[buy]!;
    const vs = this.opts.venues[sell]!;
    const q = this.q;
    q.buyVwap = bw.vwap;
    q.sellVwap = sw.vwap;
    q.fees = bw.notional * vb.takerFee + sw.notional * vs.takerFee;
    // Coins move from the buy venue to the sell venue, the money back the other way.
    q.withdrawal = (vb.withdrawalFeeBase ?? 0) * sw.vwap + (vs.withdrawalFeeQuote ?? 0);
    const hours = (vb.transferUs ?? 0) / 3.6e9;
    q.transferRisk = (bw.notional * (this.opts.transferRiskBps ?? 0) * Math.sqrt(hours)) / 1e4;
    q.pnl = sw.notional - bw.notional - q.fees - q.withdrawal - q.transferRisk;
    return q;
  }

  /** Closes what is still open at the end of the data (`goneAt` = ts). */
  finish(ts: UnixMicros): void {
    for (const o of this.open.values()) {
      o.goneAt = ts;
      this.closed.push(o);
    }
    this.open.clear();
  }

  report(): ArbitrageReport {
    const act = this.opts.actUs ?? 0;
    const lifetimes = this.closed.map((o) => o.goneAt - o.firstSeen).sort((a, b) => a - b);
    const paid = this.closed.filter((o) => o.goneAt - o.firstSeen >= act);
    return {
      evaluations: this.evaluations,
      crossedBeforeCosts: this.crossedBeforeCosts,
      opportunities: this.closed.length,
      wouldHavePaid: paid.length,
      expectedPnl: paid.reduce((s, o) => s + o.firstPnl, 0),
      medianLifetimeUs: lifetimes.length ? lifetimes[(lifetimes.length - 1) >> 1]! : Number.NaN,
      maxLifetimeUs: lifetimes.length ? lifetimes[lifetimes.length - 1]! : Number.NaN,
      bestPnl: this.closed.length
        ? this.closed.reduce((m, o) => Math.max(m, o.bestPnl), -Infinity)
        : Number.NaN,
    };
  }
}
