import { type Fill, type FillId, type Liquidity, type Order, resized } from '../model/index.js';

/**
 * Every fill of a run, stored column-wise: a fill costs a few typed-array stores and two pointer pushes,
 * not an object. Retaining one object per fill was most of what the young-generation collector copied
 * in an order-heavy backtest (docs/BENCHMARKS.md). `Fill` objects are built on demand, in order, and
 * cached, so the same fill is always the same object (the one a listener was given, if any).
 */
export class FillLog {
  private qty = new Float64Array(256);
  private px = new Float64Array(256);
  private fee = new Float64Array(256);
  private ts = new Float64Array(256);
  private pnl = new Float64Array(256);
  private maker = new Uint8Array(256);
  private readonly order: Order[] = [];
  private readonly id: string[] = [];
  private readonly feeCurrency: string[] = [];
  private readonly objects: Fill[] = [];
  private n = 0;

  get length(): number {
    return this.n;
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
    const i = this.n;
    if (i === this.qty.length) this.grow();
    this.qty[i] = quantity;
    this.px[i] = price;
    this.fee[i] = fee;
    this.ts[i] = ts;
    this.pnl[i] = realizedPnl;
    this.maker[i] = liquidity === 'maker' ? 1 : 0;
    this.order.push(order);
    this.id.push(id);
    this.feeCurrency.push(feeCurrency);
    this.n = i + 1;
    return i;
  }

  /** Fill `i` as an object (built once, then cached). */
  get(i: number): Fill {
    while (this.objects.length <= i) this.objects.push(this.build(this.objects.length));
    return this.objects[i]!;
  }

  /** Every fill as objects (built on first use). */
  all(): Fill[] {
    if (this.n > 0) this.get(this.n - 1);
    return this.objects;
  }

  private build(i: number): Fill {
    return fillOf(
      this.order[i]!,
      this.id[i]!,
      this.qty[i]!,
      this.px[i]!,
      this.fee[i]!,
      this.feeCurrency[i]!,
      this.maker[i] === 1 ? 'maker' : 'taker',
      this.ts[i]!,
      this.pnl[i]!,
    );
  }

  private grow(): void {
    const n = this.qty.length * 2;
    this.qty = resized(this.qty, n);
    this.px = resized(this.px, n);
    this.fee = resized(this.fee, n);
    this.ts = resized(this.ts, n);
    this.pnl = resized(this.pnl, n);
    this.maker = resized(this.maker, n);
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
