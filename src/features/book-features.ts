import { checkPeriod } from '../indicators/indicator.js';
import { SessionVWAP } from '../indicators/vwap.js';
import { ASK, BID } from '../model/index.js';
import type { OrderBook } from '../book/index.js';
import { bookImbalance, micropriceDeviationBps, microprice, spreadBps } from './book-imbalance.js';
import { KyleLambda } from './kyle-lambda.js';
import { RealizedVolatility } from './realized-vol.js';
import { TradeFlowImbalance } from './trade-flow.js';
import { VPIN } from './vpin.js';

export interface BookFeaturesOptions {
  /** Book levels per side for the imbalance (default 5). */
  readonly levels?: number;
  /** Depth weight per level for the imbalance (default 0.5: each level counts half the one above). */
  readonly decay?: number;
  /** Trades in the trade-flow window (default 100). */
  readonly tradeWindow?: number;
  /** Mid changes in the realized-volatility window (default 100). */
  readonly volWindow?: number;
  /** Observations in the Kyle's-lambda regression (default 200). */
  readonly lambdaWindow?: number;
  /** VPIN bucket volume (default 1) and number of buckets (default 50). */
  readonly vpinBucketVolume?: number;
  readonly vpinBuckets?: number;
}

/**
 * Every microstructure feature of one instrument, kept current from its book and its trades: call
 * `onTrade` for each trade and `update(book)` after each book delta. `update` reads the top levels into
 * preallocated arrays (no allocation per event) and, when the mid moved, feeds the realized volatility
 * and a Kyle's-lambda observation (mid change, signed volume traded since the previous move).
 */
export class BookFeatures {
  mid = Number.NaN;
  spreadBps = Number.NaN;
  imbalance = Number.NaN;
  microprice = Number.NaN;
  micropriceDevBps = Number.NaN;
  /** Mid minus the session VWAP of the trades (fed with prices), in basis points of the VWAP. */
  vwapDevBps = Number.NaN;
  /** Session VWAP of the trades passed to `onTrade` with a price (UTC-day sessions by timestamp). */
  readonly vwap = new SessionVWAP({ price: 'close' });
  readonly tradeFlow: TradeFlowImbalance;
  readonly realizedVol: RealizedVolatility;
  readonly kyleLambda: KyleLambda;
  readonly vpin: VPIN;
  private readonly levels: number;
  private readonly decay: number;
  private readonly bidPx: Float64Array;
  private readonly bidSz: Float64Array;
  private readonly askPx: Float64Array;
  private readonly askSz: Float64Array;
  private signedSinceMove = 0;

  constructor(opts: BookFeaturesOptions = {}) {
    this.levels = opts.levels ?? 5;
    checkPeriod('bookFeatures.levels', this.levels);
    this.decay = opts.decay ?? 0.5;
    this.bidPx = new Float64Array(this.levels);
    this.bidSz = new Float64Array(this.levels);
    this.askPx = new Float64Array(this.levels);
    this.askSz = new Float64Array(this.levels);
    this.tradeFlow = new TradeFlowImbalance(opts.tradeWindow ?? 100);
    this.realizedVol = new RealizedVolatility(opts.volWindow ?? 100);
    this.kyleLambda = new KyleLambda(opts.lambdaWindow ?? 200);
    this.vpin = new VPIN(opts.vpinBucketVolume ?? 1, opts.vpinBuckets ?? 50);
  }

  /** One trade: aggressor side, size, and optionally its price and time (µs) for the VWAP deviation. */
  onTrade(side: 1 | -1, quantity: number, price = Number.NaN, ts = Number.NaN): void {
    if (price === price) this.vwap.update(price, price, price, quantity, ts);
    this.tradeFlow.update(side, quantity);
    this.vpin.update(side, quantity);
    this.signedSinceMove += side * quantity;
  }

  update(book: OrderBook): void {
    const nb = book.depth(BID, this.levels, this.bidPx, this.bidSz);
    const na = book.depth(ASK, this.levels, this.askPx, this.askSz);
    if (nb === 0 || na === 0) {
      this.mid =
        this.spreadBps =
        this.imbalance =
        this.microprice =
        this.micropriceDevBps =
        this.vwapDevBps =
          Number.NaN;
      return;
    }
    for (let k = nb; k < this.levels; k++) this.bidSz[k] = 0;
    for (let k = na; k < this.levels; k++) this.askSz[k] = 0;
    const bp = this.bidPx[0]!;
    const ap = this.askPx[0]!;
    const bs = this.bidSz[0]!;
    const as = this.askSz[0]!;
    const mid = (bp + ap) / 2;
    const prev = this.mid;
    this.mid = mid;
    this.spreadBps = spreadBps(bp, ap);
    this.imbalance = bookImbalance(this.bidSz, this.askSz, this.levels, this.decay);
    this.microprice = microprice(bp, bs, ap, as);
    this.micropriceDevBps = micropriceDeviationBps(bp, bs, ap, as);
    const vw = this.vwap.value;
    this.vwapDevBps = vw === vw ? ((mid - vw) / vw) * 1e4 : Number.NaN;
    if (prev === prev && mid !== prev) {
      this.realizedVol.update(mid);
      this.kyleLambda.update(mid - prev, this.signedSinceMove);
      this.signedSinceMove = 0;
    } else if (prev !== prev) {
      this.realizedVol.update(mid);
    }
  }
}
