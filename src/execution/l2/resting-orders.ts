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
 * move them up the queue and fill them once they reach them; a trade through their price fills them
 * (everything ahead is gone); the opposite side moving through their price fills them with what crossed.
 * One market event's volume is shared out in price-time priority, so two of our orders never both
 * count the same traded quantity. Few orders rest at a time: plain arrays kept in priority order.
 */
export class RestingOrders {
  /** Buys, highest price first, then by arrival. */
  readonly bids: SimOrder[] = [];
  /** Sells, lowest price first, then by arrival. */
  readonly asks: SimOrder[] = [];
  /** Number of resting orders (both sides). */
  count = 0;
  private readonly queue: QueueModel;
  private readonly lot: number;
  private readonly onFill: MakerFill;

  constructor(queue: QueueModel, lotSize: number, onFill: MakerFill) {
    this.queue = queue;
    this.lot = lotSize;
    this.onFill = onFill;
  }

  orders(): SimOrder[] {
    return this.bids.concat(this.asks);
  }

  /** Puts an order in the queue behind what the book shows at its price now. */
  add(sim: SimOrder, book: OrderBook): void {
    sim.state = RESTING;
    this.queue.join(sim.queue, book.sizeAt(sim.isBuy ? BID : ASK, sim.price));
    const list = sim.isBuy ? this.bids : this.asks;
    let i = list.length;
    // After every order at a better or equal price (time priority among equals).
    while (i > 0 && (sim.isBuy ? list[i - 1]!.price < sim.price : list[i - 1]!.price > sim.price)) i--;
    list.splice(i, 0, sim);
    this.count++;
  }

  /** Goes to the back of the queue at its (new) price (a modify that changes the price or adds size). */
  requeue(sim: SimOrder, book: OrderBook): void {
    this.remove(sim);
    this.add(sim, book);
  }

  remove(sim: SimOrder): void {
    const list = sim.isBuy ? this.bids : this.asks;
    const i = list.indexOf(sim);
    if (i >= 0) {
      list.splice(i, 1);
      this.count--;
    }
  }

  /** The visible size at `price` on `side` went from `prev` to `size`. */
  onDepth(side: BookSideCode, price: number, prev: number, size: number): void {
    const list = side === BID ? this.bids : this.asks;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.price === price) this.queue.advanceOnDepth(s.queue, prev, size);
    }
  }

  /** After a complete venue message: orders the opposite side moved through trade with what crossed. */
  sweepCrossed(book: OrderBook, ts: UnixMicros): void {
    this.sweepSide(this.bids, book, book.bestAskPrice, ts);
    this.sweepSide(this.asks, book, book.bestBidPrice, ts);
  }

  private sweepSide(list: SimOrder[], book: OrderBook, oppBest: number, ts: UnixMicros): void {
    let taken = 0;
    let i = 0;
    while (i < list.length) {
      const s = list[i]!;
      if (s.isBuy ? !(oppBest <= s.price) : !(oppBest >= s.price)) break; // the rest are further away
      const avail = book.volumeUpTo(s.isBuy ? ASK : BID, s.price) - taken;
      const q = Math.min(s.quantity - s.filled, this.lots(avail));
      if (q > 0) {
        s.queue.ahead = 0;
        taken += q;
        this.onFill(s, q, s.price, ts);
      }
      if (list[i] === s) i++;
    }
  }

  /** A replayed trade of `size` at `price`; aggressor 1 buy, -1 sell, 0 unknown (either side may be hit). */
  onTrade(price: number, size: number, aggressor: number, ts: UnixMicros): void {
    if (aggressor <= 0 && this.bids.length > 0) this.hitSide(this.bids, price, size, ts);
    if (aggressor >= 0 && this.asks.length > 0) this.hitSide(this.asks, price, size, ts);
  }

  private hitSide(list: SimOrder[], price: number, size: number, ts: UnixMicros): void {
    let budget = size;
    let i = 0;
    while (i < list.length) {
      const s = list[i]!;
      const through = s.isBuy ? price < s.price : price > s.price;
      if (!through && s.price !== price) break; // priority order: the rest are behind the trade's price
      const left = s.quantity - s.filled;
      let q = 0;
      if (through) {
        // Printed through our price: everything ahead is gone and this trade would have hit us first.
        s.queue.ahead = 0;
        q = Math.min(left, this.lots(budget));
      } else {
        this.queue.advanceOnTrade(s.queue, size);
        const reach = fillable(s.queue, this.lot);
        if (reach > 0) {
          q = Math.min(left, reach, this.lots(budget));
          s.queue.ahead += q;
        }
      }
      if (q > 0) {
        budget -= q;
        this.onFill(s, q, s.price, ts);
      }
      if (list[i] === s) i++;
    }
  }

  private lots(x: number): number {
    return x > 0 ? Math.floor(x / this.lot + 1e-9) * this.lot : 0;
  }
}
