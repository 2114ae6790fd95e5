import type { Logger } from '../core/index.js';
import type {
  Instrument,
  InstrumentId,
  Order,
  OrderSide,
  OrderType,
  Position,
  TimeInForce,
  UnixMicros,
} from '../model/index.js';
import type { SignalInput } from './signal.js';

export interface OrderRequest {
  /** Defaults to the strategy's first instrument. */
  readonly instrumentId?: InstrumentId | string;
  readonly side: OrderSide;
  readonly type?: OrderType;
  /** Units of the instrument (rounded down to its lot size). Give this or `fraction`. */
  readonly quantity?: number;
  /** Size at fill time as this share of the equity available then, in whole lots (0 < fraction <= 1). */
  readonly fraction?: number;
  readonly price?: number;
  readonly triggerPrice?: number;
  readonly timeInForce?: TimeInForce;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly clientOrderId?: string;
  readonly tag?: string | undefined;
}

export type SideLessRequest = Omit<OrderRequest, 'side'>;

/** Everything a strategy may do or know. Implemented by the kernel; identical in all modes. */
export interface StrategyContext {
  /** Kernel time in µs since the epoch. */
  now(): UnixMicros;
  readonly log: Logger;
  instrument(id?: InstrumentId | string): Instrument;
  instruments(): readonly Instrument[];
  submit(req: OrderRequest): Order;
  buy(req: SideLessRequest): Order;
  sell(req: SideLessRequest): Order;
  cancel(order: Order): void;
  cancelAll(instrumentId?: InstrumentId | string): void;
  modify(order: Order, changes: { quantity?: number; price?: number; triggerPrice?: number }): void;
  /** Sends a reduce-only market order that flattens the position; returns it, or undefined when flat. */
  closePosition(instrumentId?: InstrumentId | string, tag?: string): Order | undefined;
  position(instrumentId?: InstrumentId | string): Readonly<Position>;
  openOrders(instrumentId?: InstrumentId | string): Order[];
  equity(): number;
  cash(): number;
  setTimer(name: string, opts: { intervalUs?: number; startAt?: UnixMicros }): void;
  cancelTimer(name: string): void;
  readonly sizing: Sizing;
  /**
   * An opinion instead of orders: a StrategyManager sizes, nets and trades it (strategy/signal.ts).
   * Without a manager it has no effect. Throws on an invalid signal.
   */
  signal(s: SignalInput): void;
}

/** Order sizing helpers; each returns a quantity in whole lots (0 when not even one lot fits). */
export interface Sizing {
  fixed(quantity: number, instrumentId?: InstrumentId | string): number;
  /** `percent` of current equity (10 = 10%) at `price` (default: last price). */
  percentOfEquity(percent: number, price?: number, instrumentId?: InstrumentId | string): number;
  /** All available cash at `price`, after the commission, in whole lots. */
  allCash(price?: number, instrumentId?: InstrumentId | string): number;
}
