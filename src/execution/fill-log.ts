import { type Fill, type FillId, type Liquidity, type Order, RowStore } from '../model/index.js';

/**
 * Every fill of a run, stored column-wise: a fill costs a few typed-array stores and two pointer pushes,
 * not an object. Retaining one object per fill was most of what the young-generation collector copied
 * in an order-heavy backtest (docs/BENCHMARKS.md). `Fill` objects are built on demand, in order, and
 * cached, so the same fill is always the same object (the one a listener was given, if any).
 */
export class FillLog {
  /** Per fill: quantity, price, fee, ts, realized P&L, 1 if maker. */
  private readonly rows = new RowStore(6);
  private readonly order: Order[] = [];
  private readonly id: string[] = [];
  private readonly feeCurrency: string[] = [];
  private readonly objects: Fill[] = [];

  get length(): number {
    return this.rows.length;
  }

  /** Appends a fill; returns its index. */
  push(
    order: Order,
    id: string,
    quantity: number,
    price: number,
    fee: number,
    feeCurrency: string,
    liquidity: Liquidity,
    ts: number,
    realizedPnl: number,
  ): number {
    const i = this.rows.length;
    const c = this.rows.append();
    const o = this.rows.at;
    c[o] = quantity;
    c[o + 1] = price;
    c[o + 2] = fee;
    c[o + 3] = ts;
    c[o + 4] = realizedPnl;
    c[o + 5] = liquidity === 'maker' ? 1 : 0;
    this.order.push(order);
    this.id.push(id);
    this.feeCurrency.push(feeCurrency);
    return i;
  }

  /** Fill `i` as an object (built once, then cached). */
  get(i: number): Fill {
    while (this.objects.length <= i) this.objects.push(this.build(this.objects.length));
    return this.objects[i]!;
  }

  /** Every fill as objects (built on first use). */
  all(): Fill[] {
    if (this.rows.length > 0) this.get(this.rows.length - 1);
    return this.objects;
  }

  private build(i: number): Fill {
    const c = this.rows.chunk(i);
    const o = this.rows.offset(i);
    return fillOf(
      this.order[i]!,
      this.id[i]!,
      c[o]!,
      c[o + 1]!,
      c[o + 2]!,
      this.feeCurrency[i]!,
      c[o + 5] === 1 ? 'maker' : 'taker',
      c[o + 3]!,
      c[o + 4]!,
    );
  }
}

/** A fill of `order` as the object strategies, events and results see. */
export function fillOf(
  order: Order,
  id: string,
  quantity: number,
  price: number,
  fee: number,
  feeCurrency: string,
  liquidity: Liquidity,
  ts: number,
  realizedPnl: number,
): Fill {
  return {
    id: id as FillId,
    orderId: order.id,
    strategyId: order.strategyId,
    instrumentId: order.instrumentId,
    side: order.side,
    quantity,
    price,
    fee,
    feeCurrency,
    liquidity,
    ts,
    realizedPnl,
  };
}
