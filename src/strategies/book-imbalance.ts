import { z } from 'zod';
import type { OrderBook } from '../book/index.js';
import { bookImbalance } from '../features/index.js';
import { ASK, BID, type UnixMicros } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';
import { boolParam } from './params.js';

export const bookImbalanceParams = z
  .object({
    levels: z.coerce
      .number()
      .int()
      .min(1)
      .max(50)
      .default(5)
      .describe('book levels per side in the imbalance'),
    decay: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe('weight of each level relative to the one above (1 = all levels alike)'),
    entry: z.coerce
      .number()
      .gt(0)
      .lt(1)
      .default(0.4)
      .describe('enter long at imbalance >= entry, short at <= -entry'),
    exit: z.coerce
      .number()
      .gt(-1)
      .lt(1)
      .default(0)
      .describe('leave a long when the imbalance falls to exit or below (a short: -exit or above)'),
    size: z.coerce.number().gt(0).default(1).describe('quantity per entry (orders mode)'),
    maxSpreadTicks: z.coerce
      .number()
      .min(1)
      .default(2)
      .describe('no entries while the spread is wider than this many ticks'),
    maxHoldMs: z.coerce
      .number()
      .min(0)
      .default(0)
      .describe('leave a position after this long whatever the book says (0 = no limit)'),
    allowShort: boolParam.default(true).describe('take short positions on a negative imbalance'),
    mode: z
      .enum(['orders', 'signals'])
      .default('orders')
      .describe("'orders' trades market orders itself; 'signals' emits ctx.signal for a StrategyManager"),
  })
  .strict()
  .refine((p) => p.exit < p.entry, { message: 'exit must be below entry', path: ['exit'] });

export type BookImbalanceParams = z.infer<typeof bookImbalanceParams>;

/** What survives a restart (JSON). */
export interface BookImbalanceState {
  readonly side: -1 | 0 | 1;
  readonly enteredAt: number;
  readonly entries: number;
  readonly exits: number;
}

/**
 * Trades the depth-weighted order book imbalance of the top levels (features/book-imbalance.ts): a book
 * heavy on the bid predicts the next mid move up over the next few updates (Cont, Kukanov & Stoikov
 * 2014; Cartea, Jaimungal & Penalva 2015, ch. 4). Enters with a market order when |imbalance| ≥ `entry`
 * and the spread is at most `maxSpreadTicks`; exits when the imbalance falls back through `exit` or after
 * `maxHoldMs`. One position at a time; nothing new while an order is working. Reads the book only after
 * complete venue messages (onBook), so it never acts on a half-applied update.
 *
 * In `mode: 'signals'` it sends the same decisions as signals (strength 1, confidence = |imbalance|) and
 * leaves sizing and netting to a StrategyManager.
 */
export class BookImbalance extends Strategy<BookImbalanceParams> {
  private readonly px: Float64Array;
  private readonly bidSz: Float64Array;
  private readonly askSz: Float64Array;
  private side: -1 | 0 | 1 = 0;
  private enteredAt: UnixMicros = 0;
  private tick = 0;
  entries = 0;
  exits = 0;
  /** The imbalance at the last complete book (NaN before one with both sides). */
  lastImbalance = Number.NaN;

  constructor(params: Partial<BookImbalanceParams> = {}, id = 'book-imbalance') {
    super(bookImbalanceParams.parse(params), id);
    const n = this.params.levels;
    this.px = new Float64Array(n);
    this.bidSz = new Float64Array(n);
    this.askSz = new Float64Array(n);
  }

  override onStart(): void {
    this.tick = this.ctx.instrument().tickSize;
  }

  override onBook(book: OrderBook): void {
    const p = this.params;
    const nb = book.depth(BID, p.levels, this.px, this.bidSz);
    const na = book.depth(ASK, p.levels, this.px, this.askSz);
    if (nb === 0 || na === 0) return;
    for (let k = nb; k < p.levels; k++) this.bidSz[k] = 0;
    for (let k = na; k < p.levels; k++) this.askSz[k] = 0;
    const imb = bookImbalance(this.bidSz, this.askSz, p.levels, p.decay);
    this.lastImbalance = imb;
    const orders = p.mode === 'orders';
    if (orders) {
      // The position is the truth in orders mode (a denied or unfilled order changes nothing).
      if (this.ctx.openOrders().length > 0) return;
      const q = this.ctx.position().quantity;
      this.side = q > 0 ? 1 : q < 0 ? -1 : 0;
    }
    const now = this.ctx.now();
    if (this.side !== 0) {
      const held = p.maxHoldMs > 0 && now - this.enteredAt >= p.maxHoldMs * 1000;
      const faded = this.side > 0 ? imb <= p.exit : imb >= -p.exit;
      if (held || faded) this.leave(imb, held ? 'max-hold' : 'imbalance');
      return;
    }
    const spreadTicks = (book.bestAskPrice - book.bestBidPrice) / this.tick;
    if (!(spreadTicks <= p.maxSpreadTicks + 1e-9)) return;
    if (imb >= p.entry) this.enter(1, imb, now);
    else if (imb <= -p.entry && p.allowShort) this.enter(-1, imb, now);
  }

  private enter(side: 1 | -1, imb: number, now: UnixMicros): void {
    this.side = side;
    this.enteredAt = now;
    this.entries++;
    if (this.params.mode === 'signals')
      this.ctx.signal({
        direction: side > 0 ? 'long' : 'short',
        strength: 1,
        confidence: Math.min(1, Math.abs(imb)),
      });
    else this.ctx.submit({ side: side > 0 ? 'buy' : 'sell', quantity: this.params.size, tag: 'obi:entry' });
  }

  private leave(imb: number, why: string): void {
    this.side = 0;
    this.exits++;
    if (this.params.mode === 'signals')
      this.ctx.signal({ direction: 'flat', strength: 0, confidence: Math.min(1, Math.abs(imb)) });
    else this.ctx.closePosition(undefined, `obi:exit:${why}`);
  }

  snapshotState(): BookImbalanceState {
    return { side: this.side, enteredAt: this.enteredAt, entries: this.entries, exits: this.exits };
  }

  restoreState(s: BookImbalanceState): void {
    this.side = s.side;
    this.enteredAt = s.enteredAt;
    this.entries = s.entries;
    this.exits = s.exits;
  }
}
