import { TickerError, invalid } from './errors.js';
import {
  type ClientOrderId,
  type InstrumentId,
  type OrderId,
  type StrategyId,
  type UnixMicros,
  clientOrderId as toClientOrderId,
  orderId as toOrderId,
} from './ids.js';
import { liveShapes } from './shapes.js';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop-market' | 'stop-limit';
/** GTC: until canceled; IOC: fill what you can now, cancel the rest; FOK: all now or nothing; DAY: until the session ends. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'DAY';

export type OrderStatus =
  | 'initialized'
  | 'denied'
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'triggered'
  | 'pending-cancel'
  | 'partially-filled'
  | 'filled'
  | 'canceled'
  | 'expired';

/**
 * The order state machine. An order is born `initialized`; the risk engine either denies it or it is
 * `submitted` to a venue, which accepts or rejects it. Stop-limit orders become `triggered` (a resting
 * limit). `pending-cancel` is the window between asking a venue to cancel and hearing back: a fill can
 * still arrive in it (the cancel lost the race). Terminal: denied, rejected, filled, canceled, expired.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  initialized: ['submitted', 'denied'],
  denied: [],
  submitted: ['accepted', 'rejected', 'canceled', 'partially-filled', 'filled'],
  accepted: ['triggered', 'pending-cancel', 'partially-filled', 'filled', 'canceled', 'expired', 'accepted'],
  triggered: ['pending-cancel', 'partially-filled', 'filled', 'canceled', 'expired', 'triggered'],
  'pending-cancel': ['canceled', 'partially-filled', 'filled', 'accepted', 'triggered', 'pending-cancel'],
  'partially-filled': ['pending-cancel', 'partially-filled', 'filled', 'canceled', 'expired'],
  rejected: [],
  filled: [],
  canceled: [],
  expired: [],
};

/** One bit per status: the table above as masks, so a transition check is two look-ups and an AND. */
const BIT = Object.fromEntries(
  (Object.keys(TRANSITIONS) as OrderStatus[]).map((st, i) => [st, 1 << i]),
) as Record<OrderStatus, number>;
const ALLOWED = Object.fromEntries(
  (Object.keys(TRANSITIONS) as OrderStatus[]).map((st) => [
    st,
    TRANSITIONS[st].reduce((m, to) => m | BIT[to], 0),
  ]),
) as Record<OrderStatus, number>;
const TERMINAL_MASK = BIT.denied | BIT.rejected | BIT.filled | BIT.canceled | BIT.expired;
/** Statuses in which an order is open: past initialized, not terminal. */
const OPEN_MASK = ~(TERMINAL_MASK | BIT.initialized) & ((1 << Object.keys(BIT).length) - 1);
/** Status by bit index (the inverse of BIT). */
const STATUS_AT = Object.keys(TRANSITIONS) as OrderStatus[];
/** ALLOWED by bit index: the hot paths test a transition with integers only. */
const ALLOWED_AT = Int32Array.from(STATUS_AT, (st) => ALLOWED[st]);
const FILLED_BIT = BIT.filled;
const PARTIAL_BIT = BIT['partially-filled'];

/** The order's fixed choices packed in one small integer (one field instead of five). */
const SELL = 1;
const TYPE_SHIFT = 1;
const TIF_SHIFT = 3;
const POST_ONLY = 1 << 5;
const REDUCE_ONLY = 1 << 6;
const TYPES: readonly OrderType[] = ['market', 'limit', 'stop-market', 'stop-limit'];
const TIFS: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK', 'DAY'];

/** TYPES.indexOf(t) as compares (indexOf on a string array was a measurable part of making an order). */
function typeCode(t: OrderType): number {
  return t === 'market' ? 0 : t === 'limit' ? 1 : t === 'stop-market' ? 2 : t === 'stop-limit' ? 3 : -1;
}

function tifCode(t: TimeInForce): number {
  return t === 'GTC' ? 0 : t === 'IOC' ? 1 : t === 'FOK' ? 2 : t === 'DAY' ? 3 : -1;
}

/**
 * BIT[st] as compares, 0 for an unknown status. `BIT[to]` with `to` varying is a keyed look-up V8 keeps
 * megamorphic (eleven keys); compares of a constant status fold away where transition() is inlined.
 */
function bitOf(st: OrderStatus): number {
  return st === 'submitted'
    ? BIT.submitted
    : st === 'accepted'
      ? BIT.accepted
      : st === 'filled'
        ? BIT.filled
        : st === 'partially-filled'
          ? BIT['partially-filled']
          : st === 'canceled'
            ? BIT.canceled
            : st === 'denied'
              ? BIT.denied
              : st === 'rejected'
                ? BIT.rejected
                : st === 'triggered'
                  ? BIT.triggered
                  : st === 'pending-cancel'
                    ? BIT['pending-cancel']
                    : st === 'expired'
                      ? BIT.expired
                      : st === 'initialized'
                        ? BIT.initialized
                        : 0;
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return (ALLOWED[from] & BIT[to]) !== 0;
}

export const TERMINAL: ReadonlySet<OrderStatus> = new Set(
  (Object.keys(BIT) as OrderStatus[]).filter((st) => (BIT[st] & TERMINAL_MASK) !== 0),
);

export interface OrderInit {
  /** The order id; or give `idNumber` and `spellId` and the id is spelled when first read. */
  readonly id?: OrderId | undefined;
  readonly idNumber?: number | undefined;
  readonly spellId?: ((n: number) => string) | undefined;
  /** Default: the order id. */
  readonly clientOrderId?: ClientOrderId | undefined;
  readonly instrumentId: InstrumentId;
  readonly strategyId: StrategyId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: number;
  readonly price?: number | undefined;
  readonly triggerPrice?: number | undefined;
  readonly timeInForce?: TimeInForce | undefined;
  readonly postOnly?: boolean | undefined;
  readonly reduceOnly?: boolean | undefined;
  readonly tag?: string | undefined;
  /**
   * Size the order at fill time as this fraction of the equity available then (backtesting.py's relative
   * size). `quantity` is then a provisional estimate used by pre-trade checks.
   */
  readonly sizingFraction?: number | undefined;
  readonly ts: UnixMicros;
}

/** Where each number of an order sits in its row of the order-number slab. */
const QTY = 0;
const PX = 1;
const TRIG = 2;
const FRAC = 3;
const FILLED = 4;
const AVG = 5;
const CREATED = 6;
const UPDATED = 7;
const ORDER_WIDTH = 8;
/** Orders per slab chunk: 64 KB of numbers. */
const SLAB_ORDERS = 1024;
let slab = new Float64Array(0);
let slabNext = 0;

/**
 * The next free row of the order-number slab. An order's numbers (quantities, prices, times) live in a
 * shared Float64Array instead of object fields: V8 keeps every double field of an object as a separate
 * heap number, so an order was six or seven objects for the young-generation collector to copy, and a
 * backtest keeps tens of thousands of orders (docs/BENCHMARKS.md). A chunk is freed when the last order
 * in it is collected.
 */
function slabRow(): number {
  if (slabNext === slab.length) {
    slab = new Float64Array(SLAB_ORDERS * ORDER_WIDTH);
    slabNext = 0;
  }
  const o = slabNext;
  slabNext += ORDER_WIDTH;
  return o;
}

/** An order's fields as plain data (Order.toJSON()). */
export interface OrderSnapshot {
  readonly id: OrderId;
  readonly clientOrderId: ClientOrderId;
  readonly instrumentId: InstrumentId;
  readonly strategyId: StrategyId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly tag: string | undefined;
  readonly createdAt: UnixMicros;
  readonly sizingFraction: number | undefined;
  readonly quantity: number;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly averageFillPrice: number;
  readonly updatedAt: UnixMicros;
  readonly reason: string | undefined;
  readonly acceptedSeq: number;
}

export class Order {
  /**
   * The id, once spelled. Orders made by a strategy context carry a number and are spelled on first read:
   * a backtest that never reads its order ids keeps no id string per order (docs/BENCHMARKS.md).
   */
  private idText: OrderId | undefined;
  private readonly idNo: number;
  private readonly spell: ((n: number) => string) | undefined;
  private readonly clientText: ClientOrderId | undefined;
  readonly instrumentId: InstrumentId;
  readonly strategyId: StrategyId;
  /** Side, type, time in force, post-only and reduce-only, packed (see the getters). */
  private readonly kind: number;
  readonly tag: string | undefined;
  /** The status as its bit (BIT): status, isOpen and isTerminal read it. */
  private state: number = BIT.initialized;
  /** This order's numbers: row `at` of a slab chunk (see slabRow). */
  private readonly num: Float64Array;
  private readonly at: number;
  /** Why the order was denied, rejected or canceled, when it was. */
  reason: string | undefined = undefined;
  /** The bar index (or event sequence) at which the venue accepted the order; used by bar fills. */
  acceptedSeq = -1;

  constructor(init: OrderInit) {
    if (!(init.quantity > 0 && Number.isFinite(init.quantity)))
      throw invalid('order.quantity', init.quantity, 'must be a positive finite number');
    const needsPrice = init.type === 'limit' || init.type === 'stop-limit';
    const needsTrigger = init.type === 'stop-market' || init.type === 'stop-limit';
    if (needsPrice && !(init.price! > 0))
      throw invalid('order.price', init.price, `a ${init.type} order needs a positive price`);
    if (needsTrigger && !(init.triggerPrice! > 0))
      throw invalid(
        'order.triggerPrice',
        init.triggerPrice,
        `a ${init.type} order needs a positive triggerPrice`,
      );
    if (init.postOnly && init.type !== 'limit')
      throw invalid('order.postOnly', true, 'only limit orders can be post-only');
    if (init.sizingFraction !== undefined && !(init.sizingFraction > 0 && init.sizingFraction <= 1))
      throw invalid('order.sizingFraction', init.sizingFraction, 'must be in (0, 1]');
    const at = slabRow();
    const num = slab;
    this.num = num;
    this.at = at;
    num[at + QTY] = init.quantity;
    num[at + PX] = needsPrice ? init.price! : Number.NaN;
    num[at + TRIG] = needsTrigger ? init.triggerPrice! : Number.NaN;
    num[at + FRAC] = init.sizingFraction ?? Number.NaN;
    num[at + FILLED] = 0;
    num[at + AVG] = 0;
    num[at + CREATED] = init.ts;
    num[at + UPDATED] = init.ts;
    if (init.id === undefined && !(init.idNumber !== undefined && init.spellId !== undefined))
      throw invalid('order.id', undefined, 'give id, or idNumber and spellId');
    this.idText = init.id;
    this.idNo = init.idNumber ?? -1;
    this.spell = init.spellId;
    this.clientText = init.clientOrderId;
    this.instrumentId = init.instrumentId;
    this.strategyId = init.strategyId;
    const type = typeCode(init.type);
    if (type < 0) throw invalid('order.type', init.type, `must be one of ${TYPES.join(', ')}`);
    if (init.side !== 'buy' && init.side !== 'sell')
      throw invalid('order.side', init.side, "must be 'buy' or 'sell'");
    const tif = init.timeInForce ?? (init.type === 'market' ? 'IOC' : 'GTC');
    const tifBits = tifCode(tif);
    if (tifBits < 0) throw invalid('order.timeInForce', tif, `must be one of ${TIFS.join(', ')}`);
    this.kind =
      (init.side === 'sell' ? SELL : 0) |
      (type << TYPE_SHIFT) |
      (tifBits << TIF_SHIFT) |
      (init.postOnly ? POST_ONLY : 0) |
      (init.reduceOnly ? REDUCE_ONLY : 0);
    this.tag = init.tag;
    liveShapes.order = this;
  }

  get id(): OrderId {
    return this.idText ?? this.spellId();
  }

  private spellId(): OrderId {
    return (this.idText = toOrderId(this.spell!(this.idNo)));
  }

  get clientOrderId(): ClientOrderId {
    return this.clientText ?? toClientOrderId(this.id);
  }

  get side(): OrderSide {
    return (this.kind & SELL) === 0 ? 'buy' : 'sell';
  }

  get type(): OrderType {
    return TYPES[(this.kind >> TYPE_SHIFT) & 3]!;
  }

  get timeInForce(): TimeInForce {
    return TIFS[(this.kind >> TIF_SHIFT) & 3]!;
  }

  get postOnly(): boolean {
    return (this.kind & POST_ONLY) !== 0;
  }

  get reduceOnly(): boolean {
    return (this.kind & REDUCE_ONLY) !== 0;
  }

  get status(): OrderStatus {
    return STATUS_AT[31 - Math.clz32(this.state)]!;
  }

  get quantity(): number {
    return this.num[this.at + QTY]!;
  }
  set quantity(q: number) {
    this.num[this.at + QTY] = q;
  }

  get price(): number | undefined {
    const p = this.num[this.at + PX]!;
    return p === p ? p : undefined;
  }
  set price(p: number | undefined) {
    this.num[this.at + PX] = p ?? Number.NaN;
  }

  get triggerPrice(): number | undefined {
    const p = this.num[this.at + TRIG]!;
    return p === p ? p : undefined;
  }
  set triggerPrice(p: number | undefined) {
    this.num[this.at + TRIG] = p ?? Number.NaN;
  }

  /**
   * Size the order at fill time as this fraction of the equity available then (backtesting.py's relative
   * size); `quantity` is then a provisional estimate.
   */
  get sizingFraction(): number | undefined {
    const f = this.num[this.at + FRAC]!;
    return f === f ? f : undefined;
  }

  /**
   * The raw numbers behind price, triggerPrice and sizingFraction: NaN when absent. Hot paths read these:
   * the getters above return a number or undefined, and V8 boxes the number in a fresh object every time
   * such a mixed value leaves an inlined getter.
   */
  get priceOrNaN(): number {
    return this.num[this.at + PX]!;
  }
  get triggerPriceOrNaN(): number {
    return this.num[this.at + TRIG]!;
  }
  get sizingFractionOrNaN(): number {
    return this.num[this.at + FRAC]!;
  }

  get filledQuantity(): number {
    return this.num[this.at + FILLED]!;
  }

  get averageFillPrice(): number {
    return this.num[this.at + AVG]!;
  }

  get createdAt(): UnixMicros {
    return this.num[this.at + CREATED]!;
  }

  get updatedAt(): UnixMicros {
    return this.num[this.at + UPDATED]!;
  }
  set updatedAt(ts: UnixMicros) {
    this.num[this.at + UPDATED] = ts;
  }

  /** The order's fields as a plain object (what JSON carries; spread this, not the order). */
  toJSON(): OrderSnapshot {
    return {
      id: this.id,
      clientOrderId: this.clientOrderId,
      instrumentId: this.instrumentId,
      strategyId: this.strategyId,
      side: this.side,
      type: this.type,
      timeInForce: this.timeInForce,
      postOnly: this.postOnly,
      reduceOnly: this.reduceOnly,
      tag: this.tag,
      createdAt: this.createdAt,
      sizingFraction: this.sizingFraction,
      quantity: this.quantity,
      price: this.price,
      triggerPrice: this.triggerPrice,
      status: this.status,
      filledQuantity: this.filledQuantity,
      averageFillPrice: this.averageFillPrice,
      updatedAt: this.updatedAt,
      reason: this.reason,
      acceptedSeq: this.acceptedSeq,
    };
  }

  get remaining(): number {
    return this.quantity - this.filledQuantity;
  }

  /** Accepted by a venue path and not yet in a terminal state (a bit test: read on every bar). */
  get isOpen(): boolean {
    return (this.state & OPEN_MASK) !== 0;
  }

  get isTerminal(): boolean {
    return (this.state & TERMINAL_MASK) !== 0;
  }

  /** +1 for buys, -1 for sells. */
  get sign(): 1 | -1 {
    return (this.kind & SELL) === 0 ? 1 : -1;
  }

  /** Moves the order to `to`, or throws INVALID_TRANSITION naming both states. */
  transition(to: OrderStatus, ts: UnixMicros, reason?: string): void {
    const bit = bitOf(to);
    if (bit === 0) throw invalid('order.status', to, `must be one of ${STATUS_AT.join(', ')}`);
    this.moveTo(bit, ts);
    if (reason !== undefined) this.reason = reason;
  }

  /** transition() by the status's bit: the state machine's test is integer work only. */
  private moveTo(bit: number, ts: UnixMicros): void {
    if ((ALLOWED_AT[31 - Math.clz32(this.state)]! & bit) === 0) this.refuse(bit);
    this.state = bit;
    this.num[this.at + UPDATED] = ts;
  }

  private refuse(bit: number): never {
    const to = STATUS_AT[31 - Math.clz32(bit)]!;
    throw new TickerError('INVALID_TRANSITION', `order ${this.id}: cannot go from ${this.status} to ${to}`, {
      field: 'order.status',
      value: to,
    });
  }

  /** Records a fill of `qty` at `price`, updating the average and moving to partially-filled or filled. */
  applyFill(qty: number, price: number, ts: UnixMicros, sizeDecimals = 12): void {
    if (!(qty > 0)) throw invalid('fill.quantity', qty, 'must be positive');
    const rem = this.remaining;
    if (qty > rem + 1e-12) throw invalid('fill.quantity', qty, `exceeds the order's remaining ${rem}`);
    const num = this.num;
    const at = this.at;
    const before = num[at + FILLED]!;
    const filled = before + qty;
    num[at + AVG] = (num[at + AVG]! * before + price * qty) / filled;
    const p = 10 ** sizeDecimals;
    const rounded = Math.round(filled * p) / p;
    num[at + FILLED] = rounded;
    this.moveTo(rounded >= num[at + QTY]! ? FILLED_BIT : PARTIAL_BIT, ts);
  }
}
