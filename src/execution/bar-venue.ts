import { type Bar, type Instrument, type Order, invalid } from '../model/index.js';
import { MICROS_PER_DAY } from '../model/index.js';
import type { ExecutionClient, ExecutionReports, OrderChanges } from './ports.js';

/** When market orders fill: at the open of the bar after the signal, or at the close of the signal bar. */
export type BarFillMode = 'next-open' | 'close';

export interface BarVenueOptions {
  readonly venue?: string;
  readonly fill?: BarFillMode;
  /** Adverse slippage on taker fills, in basis points of price. */
  readonly slippageBps?: number;
  /**
   * backtesting.py's rule for a stop-limit whose stop and limit are both reached in the bar that triggers
   * it: no fill in that bar (it assumes the limit was touched before the stop); see docs/BACKTESTING.md.
   */
  readonly pessimisticStopLimit?: boolean;
  /**
   * The account the venue fills for: fraction orders are sized at the fill price and reduce-only orders
   * clipped to the position. An object with methods (the kernel), not closures: closures made per engine
   * are new functions every backtest, and V8 stops inlining a call site that has seen several.
   */
  readonly account?: VenueAccount;
}

/** What a simulated venue asks the account it fills for. */
export interface VenueAccount {
  /** The quantity of an order sized as a fraction of available equity, at the fill price. */
  resolveFraction(order: Order, fillPrice: number): number;
  /** Current signed position of an instrument (for reduce-only clipping). */
  positionOf(instrumentId: string): number;
}

/**
 * A simulated venue that fills orders against OHLC bars.
 *
 * Intrabar path (documented in docs/BACKTESTING.md): a bar that closes at or above its open is assumed
 * to trade open → low → high → close; one that closes below its open, open → high → low → close.
 * An order submitted during bar t is first eligible at bar t+1 (except market orders in 'close' mode,
 * which fill at bar t's close). A limit or stop that the open has already gapped through fills at the
 * open; otherwise at its own price. Stops and market orders are taker fills and pay slippage; limit
 * fills are maker fills and do not.
 */
export class BarVenue implements ExecutionClient {
  readonly venue: string;
  readonly fillMode: BarFillMode;
  private readonly slip: number;
  private readonly pessimistic: boolean;
  private readonly opts: BarVenueOptions;
  private reports: ExecutionReports = undefined!;
  private readonly instruments: Instrument[] = [];
  private readonly index = new Map<string, number>();
  /** Pending orders per instrument index, in submission order. */
  private readonly pending: PendingOrders[] = [];
  /** The latest bar seen per instrument (the bar being processed during onBar). */
  private readonly current: (Bar | undefined)[] = [];
  private processing = false;
  private lastId = '';
  private lastIdx = -1;

  constructor(opts: BarVenueOptions = {}) {
    this.opts = opts;
    this.venue = opts.venue ?? 'SIM';
    this.fillMode = opts.fill ?? 'next-open';
    if (this.fillMode !== 'next-open' && this.fillMode !== 'close')
      throw invalid('fill', this.fillMode, "must be 'next-open' or 'close'");
    const bps = opts.slippageBps ?? 0;
    if (!(bps >= 0 && bps < 10_000)) throw invalid('slippageBps', bps, 'must be between 0 and 10000');
    this.slip = bps / 10_000;
    this.pessimistic = opts.pessimisticStopLimit ?? false;
  }

  bind(reports: ExecutionReports): void {
    this.reports = reports;
  }

  addInstrument(inst: Instrument): number {
    const i = this.instruments.length;
    this.instruments.push(inst);
    this.index.set(inst.id, i);
    this.pending.push(new PendingOrders());
    this.current.push(undefined);
    return i;
  }

  pendingCount(): number {
    let n = 0;
    for (const p of this.pending) n += p.n;
    return n;
  }

  private idx(order: Order): number {
    if (order.instrumentId === this.lastId) return this.lastIdx;
    const i = this.index.get(order.instrumentId);
    if (i === undefined)
      throw invalid('order.instrumentId', order.instrumentId, `is not traded on venue ${this.venue}`);
    this.lastId = order.instrumentId;
    this.lastIdx = i;
    return i;
  }

  submit(order: Order): void {
    const i = this.idx(order);
    const bar = this.current[i];
    const ts = bar?.ts ?? order.createdAt;
    this.reports.accepted(order, ts);
    order.acceptedSeq = bar ? bar.index : -1;
    if (order.type === 'market' && this.fillMode === 'close' && bar) {
      this.fillTaker(order, i, bar.close, bar.ts);
      return;
    }
    this.pending[i]!.add(order);
  }

  cancel(order: Order, reason = 'canceled by strategy'): void {
    // The pending list drops closed orders on its next pass; an order canceled mid-pass is skipped there.
    if (!this.processing) this.pending[this.idx(order)]!.remove(order);
    if (order.isOpen)
      this.reports.canceled(order, reason, this.current[this.idx(order)]?.ts ?? order.updatedAt);
  }

  modify(order: Order, changes: OrderChanges): void {
    const inst = this.instruments[this.idx(order)]!;
    if (changes.price !== undefined) order.price = inst.roundPrice(changes.price);
    if (changes.triggerPrice !== undefined) order.triggerPrice = inst.roundPrice(changes.triggerPrice);
    if (changes.quantity !== undefined) {
      const q = inst.roundQuantity(changes.quantity);
      if (!(q > order.filledQuantity))
        throw invalid('quantity', changes.quantity, `must exceed the filled ${order.filledQuantity}`);
      order.quantity = q;
    }
    this.reports.updated(order, this.current[this.idx(order)]?.ts ?? order.updatedAt);
  }

  /** Processes the pending orders of instrument `i` against its new bar; call before strategies see the bar. */
  onBar(i: number, bar: Bar): void {
    // The engines reuse one Bar per instrument: store it once, not every bar (each store of an object runs
    // the write barrier).
    if (this.current[i] !== bar) this.current[i] = bar;
    // Every bar comes through here and most have nothing pending: the loop is out of line, so this stays
    // small enough for the engines' bar loops to inline.
    const list = this.pending[i]!;
    if (list.n !== 0) this.processPending(i, bar, list);
  }

  private processPending(i: number, bar: Bar, list: PendingOrders): void {
    this.processing = true;
    // Orders submitted while this bar is processed (by fill handlers) are appended, carry this bar's index
    // and are skipped; processed orders that end are removed in place, keeping submission order.
    const items = list.items;
    let w = 0;
    for (let r = 0; r < list.n; r++) {
      const order = items[r]!;
      if (order.isOpen && order.acceptedSeq < bar.index) this.process(order, i, bar);
      if (order.isOpen) items[w++] = order;
    }
    list.truncate(w);
    this.processing = false;
  }

  private process(order: Order, i: number, bar: Bar): void {
    const buy = order.side === 'buy';
    const { open, high, low, close } = bar;
    if (
      order.timeInForce === 'DAY' &&
      Math.floor(bar.ts / MICROS_PER_DAY) > Math.floor(order.createdAt / MICROS_PER_DAY)
    ) {
      this.reports.expired(order, bar.ts);
      return;
    }
    switch (order.type) {
      case 'market':
        this.fillTaker(order, i, open, bar.ts);
        return;
      case 'stop-market': {
        const t = order.triggerPrice!;
        if (buy ? open >= t : open <= t) this.fillTaker(order, i, open, bar.ts);
        else if (buy ? high >= t : low <= t) this.fillTaker(order, i, t, bar.ts);
        else this.unfilled(order, bar);
        return;
      }
      case 'limit': {
        const p = order.price!;
        if (order.postOnly && order.status === 'accepted' && (buy ? p >= open : p <= open)) {
          // Accepted at submission, so it cannot be rejected now: like Binance's GTX, it is canceled on arrival.
          this.reports.canceled(
            order,
            `post-only ${order.side} at ${p} would take liquidity at ${open}`,
            bar.ts,
          );
          return;
        }
        if (buy ? open <= p : open >= p) this.fillMaker(order, i, open, bar.ts);
        else if (buy ? low <= p : high >= p) this.fillMaker(order, i, p, bar.ts);
        else this.unfilled(order, bar);
        return;
      }
      case 'stop-limit': {
        const t = order.triggerPrice!;
        const p = order.price!;
        if (order.status !== 'triggered') {
          const atOpen = buy ? open >= t : open <= t;
          if (!atOpen && !(buy ? high >= t : low <= t)) {
            this.unfilled(order, bar);
            return;
          }
          this.reports.triggered(order, bar.ts);
          if (this.pessimistic) {
            // backtesting.py: once the stop is hit the order fills at min(stop, limit) (buy) when the bar
            // also reaches the limit, except when the limit lies beyond the stop, where it cannot tell
            // which came first and waits for the next bar as a plain limit order.
            const limitHit = buy ? low <= p : high >= p;
            const ambiguous = buy ? p <= t : p >= t;
            if (limitHit && !ambiguous)
              this.fillTaker(order, i, buy ? Math.min(t, p) : Math.max(t, p), bar.ts);
            return;
          }
          if (atOpen) {
            if (buy ? open <= p : open >= p) this.fillTaker(order, i, open, bar.ts);
            else if (buy ? low <= p : high >= p) this.fillMaker(order, i, p, bar.ts);
            return;
          }
          // Triggered intrabar at t: marketable at once if the limit allows it, else it needs the rest of the path.
          if (buy ? t <= p : t >= p) {
            this.fillTaker(order, i, t, bar.ts);
            return;
          }
          const bullish = close >= open;
          // After the high (buy stop) the path still visits: the close (bullish) or the low (bearish).
          const rest = buy ? (bullish ? close : low) : bullish ? high : close;
          if (buy ? rest <= p : rest >= p) this.fillMaker(order, i, p, bar.ts);
          return;
        }
        if (buy ? open <= p : open >= p) this.fillMaker(order, i, open, bar.ts);
        else if (buy ? low <= p : high >= p) this.fillMaker(order, i, p, bar.ts);
        else this.unfilled(order, bar);
        return;
      }
    }
  }

  /** IOC and FOK orders that did not fill on their first eligible bar are canceled. */
  private unfilled(order: Order, bar: Bar): void {
    if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK')
      this.reports.canceled(order, `${order.timeInForce} not filled`, bar.ts);
  }

  private fillTaker(order: Order, i: number, price: number, ts: number): void {
    const inst = this.instruments[i]!;
    const buy = order.side === 'buy';
    const px =
      this.slip === 0
        ? price
        : inst.roundPrice(price * (buy ? 1 + this.slip : 1 - this.slip), buy ? 'up' : 'down');
    this.fill(order, i, px, 'taker', ts);
  }

  private fillMaker(order: Order, i: number, price: number, ts: number): void {
    this.fill(order, i, price, 'maker', ts);
  }

  private fill(order: Order, i: number, price: number, liquidity: 'maker' | 'taker', ts: number): void {
    const inst = this.instruments[i]!;
    const frac = order.sizingFractionOrNaN;
    const account = this.opts.account;
    if (frac === frac && order.filledQuantity === 0 && account !== undefined) {
      const q = account.resolveFraction(order, price);
      if (!(q > 0)) {
        this.reports.canceled(order, `not enough equity to buy one lot at ${price}`, ts);
        return;
      }
      order.quantity = q;
    }
    let qty = order.remaining;
    if (order.reduceOnly && account !== undefined) {
      const pos = account.positionOf(order.instrumentId);
      const reducible = pos !== 0 && Math.sign(pos) !== order.sign ? Math.abs(pos) : 0;
      if (reducible === 0) {
        this.reports.canceled(order, 'reduce-only order has no position left to reduce', ts);
        return;
      }
      qty = inst.roundQuantity(Math.min(qty, reducible));
    }
    this.reports.filled(order, qty, price, liquidity, ts);
    if (order.isOpen && order.reduceOnly) this.reports.canceled(order, 'reduce-only remainder canceled', ts);
  }
}

/**
 * One instrument's pending orders: an array and a count. The array is never shortened, so its storage is
 * reused: setting an array's length to 0 frees its storage in V8, and the next order's push allocated a
 * new one (most bars end with no order pending).
 */
class PendingOrders {
  readonly items: (Order | undefined)[] = [];
  n = 0;

  add(order: Order): void {
    this.items[this.n++] = order;
  }

  /** Removes `order` (kept in submission order); no-op when absent. */
  remove(order: Order): void {
    const items = this.items;
    let k = 0;
    while (k < this.n && items[k] !== order) k++;
    if (k === this.n) return;
    for (; k < this.n - 1; k++) items[k] = items[k + 1];
    items[--this.n] = undefined;
  }

  /** Keeps the first `w` orders; the slots after them let go of theirs. */
  truncate(w: number): void {
    const items = this.items;
    for (let k = w; k < this.n; k++) items[k] = undefined;
    this.n = w;
  }
}
