import type { FillId, InstrumentId, OrderId, StrategyId, UnixMicros } from './ids.js';
import type { OrderSide } from './order.js';

export type Liquidity = 'maker' | 'taker';

/** One execution of (part of) an order. `fee` is in `feeCurrency`, positive when paid. */
export interface Fill {
  readonly id: FillId;
  readonly orderId: OrderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly ts: UnixMicros;
  /** The realized P&L this fill produced on the position (quote currency, before fees). */
  realizedPnl: number;
}
