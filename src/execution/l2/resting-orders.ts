import { ASK, BID, type BookSideCode, type Order, type UnixMicros } from '../../model/index.js';
import type { OrderBook } from '../../book/index.js';
import { QueuePosition, type QueueModel, fillable } from './queue.js';

export const PENDING = 0;
export const RESTING = 1;
export const DONE = 2;

/** The venue's own view of one of our orders (the kernel's Order only changes when reports arrive). */
export class SimOrder {
  readonly order: Order;
  readonly inst: number;
  readonly isBuy: boolean;
  price: number;
  quantity: number;
  filled = 0;
  state = PENDING;
  readonly queue = new QueuePosition();
  constructor(order: Order, inst: number) {
    this.order = order;
    this.inst = inst;
    this.isBuy = order.side === 'buy';
    this.price = order.price ?? Number.NaN;
    this.quantity = order.quantity;
  }
}

/** Called for each passive (maker) fill; the venue reports it and takes the order off when it is done. */
export type MakerFill = (sim: SimOrder, quantity: number, price: number, ts: UnixMicros) => void;

/**
 * Our resting orders on one instrument and how the market's own events fill them: trades at their price
 * move them up the queue and fill them once they reach them; a trade through their price fills up to that
 * trade's size (it would have hit us first); the opposite side moving through their price fills them
 * with what crossed. Few orders rest at a time, so a plain array scanned per event is the fastest store.
 */
export class RestingOrders {
  readonly list: SimOrder[] = [];
  private readonly queue: QueueModel;
  private readonly lot: number;
  private readonly onFill: MakerFill;

  constructor(queue: QueueModel, lotSize: number, onFill: MakerFill) {
    this.queue = queue;
    this.lot = lotSize;
    this.onFill = onFill;
  }

  /** Puts an order in the queue behind what the book shows at its price now. */
  add(sim: SimOrder, book: OrderBook): void {
    sim.state = RESTING;
    this.queue.join(sim.queue, book.sizeAt(sim.isBuy ? BID : ASK, sim.price));
    this.list.push(sim);
  }

  /** Joins the back of the queue again (a modify that changes the price or adds size). */
  requeue(sim: SimOrder, book: OrderBook): void {
    this.queue.join(sim.queue, book.sizeAt(sim.isBuy ? BID : ASK, sim.price));
  }

  remove(sim: SimOrder): void {
    const i = this.list.indexOf(sim);
    if (i >= 0) this.list.splice(i, 1);
  }

  /** The visible size at `price` on `side` went from `prev` to `size`. */
  onDepth(side: BookSideCode, price: number, prev: number, size: number): void {
    const list = this.list;
    const buySide = side === BID;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.isBuy === buySide && s.price === price) this.queue.advanceOnDepth(s.queue, prev, size);
    }
  }

  /** After a complete venue message: orders the opposite side moved through trade with what crossed. */
  sweepCrossed(book: OrderBook, ts: UnixMicros): void {
    const list = this.list;
    const bestAsk = book.bestAskPrice;
    const bestBid = book.bestBidPrice;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i]!;
      if (s.isBuy ? !(bestAsk <= s.price) : !(bestBid >= s.price)) continue;
      const avail = book.volumeUpTo(s.isBuy ? ASK : BID, s.price);
      const q = Math.min(s.quantity - s.filled, this.lots(avail));
      if (q > 0) {
        s.queue.ahead = 0;
        this.onFill(s, q, s.price, ts);
      }
    }
  }

  /** A replayed trade of `size` at `price`; aggressor 1 buy, -1 sell, 0 unknown. */
  onTrade(price: number, size: number, aggressor: number, ts: UnixMicros): void {
    const list = this.list;
    // Backwards: a fill may take the order off the list.
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i]!;
      // A buy aggressor lifts asks (our sells); a sell aggressor hits bids (our buys); unknown: either.
      if (s.isBuy ? aggressor > 0 : aggressor < 0) continue;
      const left = s.quantity - s.filled;
      if (s.isBuy ? price < s.price : price > s.price) {
        // Printed through our price: everything ahead is gone and this trade would have hit us first.
        s.queue.ahead = 0;
        const q = Math.min(left, this.lots(size));
        if (q > 0) this.onFill(s, q, s.price, ts);
      } else if (price === s.price) {
        this.queue.advanceOnTrade(s.queue, size);
        const reach = fillable(s.queue, this.lot);
        if (reach > 0) {
          const q = Math.min(left, reach);
          s.queue.ahead += q;
          this.onFill(s, q, s.price, ts);
        }
      }
    }
  }

  private lots(x: number): number {
    return Math.floor(x / this.lot + 1e-9) * this.lot;
  }
}
