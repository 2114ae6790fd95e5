/**
 * Every topic that flows on the bus, in one place (the switchboard). Build names only through these
 * functions so publishers and subscribers cannot drift apart.
 */
export const Topics = {
  /** Bars of one instrument: `data.bars.<instrumentId>`. Payload: Bar. */
  bars: (instrumentId: string) => `data.bars.${instrumentId}`,
  /** Quote ticks of one instrument: `data.quotes.<instrumentId>`. Payload: QuoteTick (a reused object). */
  quotes: (instrumentId: string) => `data.quotes.${instrumentId}`,
  /** Trade ticks of one instrument: `data.trades.<instrumentId>`. Payload: TradeTick (a reused object). */
  trades: (instrumentId: string) => `data.trades.${instrumentId}`,
  /** The L2 book after each complete venue message: `data.book.<instrumentId>`. Payload: OrderBook. */
  book: (instrumentId: string) => `data.book.${instrumentId}`,
  /** Order lifecycle events of one strategy: `orders.<strategyId>`. Payload: OrderEvent. */
  orderEvents: (strategyId: string) => `orders.${strategyId}`,
  /** Every fill: `fills.<strategyId>`. Payload: Fill. */
  fills: (strategyId: string) => `fills.${strategyId}`,
  /** Risk denials: `risk.denied.<strategyId>`. Payload: OrderDenied. */
  orderDenied: (strategyId: string) => `risk.denied.${strategyId}`,
  /** Circuit breakers, exits, pauses: `risk.events`. Payload: RiskEvent (risk/risk-monitor.ts). */
  riskEvents: () => 'risk.events',
  /** Position changes: `positions.<instrumentId>`. Payload: Position. */
  positions: (instrumentId: string) => `positions.${instrumentId}`,
  /** Strategy logs and lifecycle: `system.strategy.<strategyId>`. */
  strategyStatus: (strategyId: string) => `system.strategy.${strategyId}`,
} as const;
