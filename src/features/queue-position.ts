import type { OrderBook } from '../book/index.js';
import { ProbabilisticQueueModel, type QueueModel, QueuePosition, fillable } from '../execution/l2/queue.js';
import { ASK, BID, invalid } from '../model/index.js';

export interface QueueEstimateOptions {
  /** Our order's side: a buy rests on the bid, a sell on the ask. */
  readonly side: 'buy' | 'sell';
  readonly price: number;
  /** Our order's size. */
  readonly quantity: number;
  /**
   * The queue model; default the power-law probabilistic model with `power` (hftbacktest's
   * ProbQueueModel with PowerProbQueueFunc): a decrease of the level that trades do not explain is a
   * cancellation, taken from ahead of us with probability ahead^p / (ahead^p + behind^p).
   */
  readonly model?: QueueModel;
  /** The exponent p of the default model (default 3, as `tickerml backtest-l2 --queue prob-power`). */
  readonly power?: number;
  /** Fills are counted in whole lots (default: continuous). */
  readonly lotSize?: number;
}

/**
 * A streaming estimate of the quantity ahead of one of our resting orders at its price level, from the
 * L2 book and the trades (Rigtorp 2013, "Estimating order queue position"). On placement everything the
 * level shows is ahead of us; trades at our price take from the front, so they reduce it in full; a
 * decrease of the level that the trades do not explain is split between ahead and behind us by the
 * queue model; an increase joins behind us, and the quantity ahead can never exceed the whole level.
 *
 * The arithmetic is the simulated venue's own (`execution/l2/queue.ts`, the same QueueModel and
 * QueuePosition objects the L2 venue uses), so the estimate a live strategy sees is the one its
 * backtest filled by. Feed it the level's size after each book update (`onDepth`/`onBook`) and every
 * trade (`onTrade`), in the venue's order.
 */
export class QueuePositionEstimate {
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly quantity: number;
  readonly model: QueueModel;
  private readonly q = new QueuePosition();
  private readonly lot: number;
  private level = 0;
  private placed = false;
  private through = false;

  constructor(opts: QueueEstimateOptions) {
    if (!(opts.price > 0)) throw invalid('queueEstimate.price', opts.price, 'must be > 0');
    if (!(opts.quantity > 0)) throw invalid('queueEstimate.quantity', opts.quantity, 'must be > 0');
    if (opts.side !== 'buy' && opts.side !== 'sell')
      throw invalid('queueEstimate.side', opts.side, "must be 'buy' or 'sell'");
    if (opts.lotSize !== undefined && !(opts.lotSize > 0))
      throw invalid('queueEstimate.lotSize', opts.lotSize, 'must be > 0');
    this.side = opts.side;
    this.price = opts.price;
    this.quantity = opts.quantity;
    this.model = opts.model ?? new ProbabilisticQueueModel('power', opts.power ?? 3);
    this.lot = opts.lotSize ?? 0;
  }

  /** Our order starts resting behind the `levelSize` the book shows at its price. */
  place(levelSize: number): this {
    this.model.join(this.q, levelSize);
    this.level = levelSize;
    this.placed = true;
    this.through = false;
    return this;
  }

  /** `place` with the size the book shows at our price now. */
  placeIn(book: OrderBook): this {
    return this.place(book.sizeAt(this.side === 'buy' ? BID : ASK, this.price));
  }

  /**
   * The visible size at `price` on our side is now `size` (call after each book update; other prices
   * are ignored).
   */
  onDepth(price: number, size: number): void {
    if (!this.placed || price !== this.price) return;
    this.model.advanceOnDepth(this.q, this.level, size);
    this.level = size;
  }

  /** `onDepth` with the size the book shows at our price. */
  onBook(book: OrderBook): void {
    this.onDepth(this.price, book.sizeAt(this.side === 'buy' ? BID : ASK, this.price));
  }

  /**
   * A trade of `quantity` at `price`; aggressor 1 = buyer, -1 = seller, 0 = unknown. Only trades that
   * hit our side count (sellers hit bids). A trade at our price takes from the front of the queue; a trade
   * through it (a buy order's bid at 100, a sell printed at 99) means the whole queue, and we, were taken.
   */
  onTrade(price: number, quantity: number, aggressor: 1 | -1 | 0 = 0): void {
    if (!this.placed) return;
    const buy = this.side === 'buy';
    if (buy ? aggressor > 0 : aggressor < 0) return;
    if (buy ? price < this.price : price > this.price) this.through = true;
    else if (price === this.price) this.model.advanceOnTrade(this.q, quantity);
  }

  /** Estimated quantity still ahead of us (0 once trades reach our order). */
  get ahead(): number {
    return this.through ? 0 : Math.max(0, this.q.ahead);
  }

  /** Quantity ahead when the order was placed. */
  get aheadAtPlacement(): number {
    return this.q.aheadAtArrival;
  }

  /** The level's last known visible size. */
  get levelSize(): number {
    return this.level;
  }

  /** Estimated quantity of our order that trades have reached (in whole lots if lotSize was given). */
  get filled(): number {
    if (this.through) return this.quantity;
    const reached = this.lot > 0 ? fillable(this.q, this.lot) : Math.max(0, -this.q.ahead);
    return Math.min(this.quantity, reached);
  }

  /** Share of the queue ahead at placement that has gone: 0 at placement, 1 at the front. */
  get progress(): number {
    const a0 = this.q.aheadAtArrival;
    return a0 > 0 ? 1 - this.ahead / a0 : 1;
  }

  /**
   * A fill-probability-style ratio: the share of our order that `volume` more traded at our price would
   * fill, min(1, max(0, volume − ahead) / quantity), counting what is already filled. With an expected
   * volume over a horizon (e.g. from recent trade flow) it is the expected filled share under the model.
   */
  fillRatio(volume = 0): number {
    if (this.through) return 1;
    if (!(volume >= 0)) throw invalid('queueEstimate.volume', volume, 'must be >= 0');
    return Math.min(1, Math.max(0, volume - this.q.ahead) / this.quantity);
  }
}
