import {
  ChunkedList,
  type Fill,
  type FillId,
  type Liquidity,
  type Order,
  RowStore,
  StringTable,
} from '../model/index.js';

/**
 * Every fill of a run, stored column-wise: a fill costs a few typed-array stores and two pointer pushes,
 * not an object. Retaining one object per fill was most of what the young-generation collector copied
 * in an order-heavy backtest (docs/BENCHMARKS.md). `Fill` objects are built on demand, in order, and
 * cached, so the same fill is always the same object (the one a listener was given, if any).
 */
export class FillLog {
  /** Per fill: quantity, price, fee, ts, realized P&L, 1 if maker, fill number, fee currency index. */
  private readonly rows = new RowStore(8);
  private readonly order = new ChunkedList<Order>();
  private readonly currencies = new StringTable();
  private readonly objects: Fill[] = [];
  /** Spells fill number n as its id (ids are built only when a Fill object is). */
  private readonly idOf: (n: number) => string;

  constructor(idOf: (n: number) => string) {
    this.idOf = idOf;
  }

  get length(): number {
    return this.rows.length;
  }

  /** Appends fill number `no`; returns its index. */
  push(
    order: Order,
    no: number,
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
    c[o + 6] = no;
    c[o + 7] = this.currencies.intern(feeCurrency);
    this.order.push(order);
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
      this.order.get(i),
      this.idOf(c[o + 6]!),
      c[o]!,
      c[o + 1]!,
      c[o + 2]!,
      this.currencies.at(c[o + 7]!),
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
