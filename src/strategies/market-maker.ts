import { z } from 'zod';
import type { OrderBook } from '../book/index.js';
import type { Order, OrderSide, Position } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';

export const marketMakerParams = z
  .object({
    size: z.coerce.number().gt(0).default(1).describe('quantity of each quote'),
    halfSpreadTicks: z.coerce
      .number()
      .min(0)
      .default(1)
      .describe('distance of each quote from the fair price, in ticks'),
    skewTicks: z.coerce
      .number()
      .min(0)
      .default(1)
      .describe('fair price shift per quote size of inventory, in ticks (leans against the position)'),
    maxPosition: z.coerce
      .number()
      .gt(0)
      .default(5)
      .describe('stop quoting the side that would grow the position beyond this'),
    requoteTicks: z.coerce
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('replace a quote when its target moved at least this many ticks'),
  })
  .strict();

export type MarketMakerParams = z.infer<typeof marketMakerParams>;

/**
 * A two-sided market maker that quotes around the microprice (the touch weighted by the opposite size,
 * Stoikov 2018 "The micro-price"), leaning its fair price against its inventory so fills pull the
 * position back to flat (Avellaneda & Stoikov 2008, in its simplest linear form). Quotes are post-only
 * and replaced only when their target moved `requoteTicks`, so they keep their place in the queue.
 */
export class MarketMaker extends Strategy<MarketMakerParams> {
  private bid: Order | undefined = undefined;
  private ask: Order | undefined = undefined;
  private pos: Readonly<Position> = undefined!;
  private tick = 0;
  quotesSent = 0;

  constructor(params: Partial<MarketMakerParams> = {}, id = 'market-maker') {
    super(marketMakerParams.parse(params), id);
  }

  override onStart(): void {
    this.pos = this.ctx.position();
    this.tick = this.ctx.instrument().tickSize;
  }

  override onBook(book: OrderBook): void {
    const bb = book.bestBidPrice;
    const ba = book.bestAskPrice;
    // An empty side or a crossed book (missed update) gives no fair price: keep the quotes as they are.
    if (!(bb > 0 && ba > bb)) return;
    const bs = book.bestBidSize;
    const as = book.bestAskSize;
    const micro = (bb * as + ba * bs) / (bs + as);
    const p = this.params;
    const q = this.pos.quantity;
    const tick = this.tick;
    const fair = micro - p.skewTicks * tick * (q / p.size);
    const inst = this.ctx.instrument();
    let bidPx = inst.roundPrice(fair - p.halfSpreadTicks * tick, 'down');
    let askPx = inst.roundPrice(fair + p.halfSpreadTicks * tick, 'up');
    // Never cross: a post-only quote through the touch would be rejected.
    if (bidPx >= ba) bidPx = inst.roundPrice(ba - tick);
    if (askPx <= bb) askPx = inst.roundPrice(bb + tick);
    this.bid = this.quote(this.bid, 'buy', bidPx, q + p.size <= p.maxPosition);
    this.ask = this.quote(this.ask, 'sell', askPx, q - p.size >= -p.maxPosition);
  }

  private quote(
    current: Order | undefined,
    side: OrderSide,
    price: number,
    allowed: boolean,
  ): Order | undefined {
    const cur = current && current.isOpen ? current : undefined;
    if (!allowed) {
      if (cur) this.ctx.cancel(cur);
      return undefined;
    }
    if (cur && Math.abs(cur.price! - price) < this.params.requoteTicks * this.tick - 1e-12) return cur;
    if (cur) this.ctx.cancel(cur);
    this.quotesSent++;
    return this.ctx.submit({
      side,
      type: 'limit',
      price,
      quantity: this.params.size,
      postOnly: true,
      tag: 'mm',
    });
  }
}
