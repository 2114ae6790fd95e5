import type { Bar, Fill, OrderDenied, OrderEvent, StrategyId, TimerEvent } from '../model/index.js';
import { strategyId } from '../model/index.js';
import type { OrderBook } from '../book/index.js';
import type { QuoteTick, TradeTick } from '../model/index.js';
import type { StrategyContext } from './context.js';

/**
 * Base class of every strategy. Override the hooks you need; the kernel calls them in event order. A
 * strategy never does I/O: it reads the world through `ctx` and acts through `ctx`, so the same class runs
 * in backtest, paper and live modes.
 */
export abstract class Strategy<P extends object = Record<string, unknown>> {
  readonly id: StrategyId;
  readonly params: P;
  /** Set by the kernel when the strategy is added; do not use it in the constructor. */
  ctx: StrategyContext = undefined!;

  constructor(params: P, id?: string) {
    this.params = params;
    this.id = strategyId(id ?? this.constructor.name);
  }

  /** Bars before the strategy can act (used for Buy & Hold and warm-up reporting). */
  get warmupBars(): number {
    return 0;
  }

  onStart(): void {}
  onBar(_bar: Bar): void {}
  /** Best bid/ask updates (L2 backtests, live feeds). The object is reused: copy what you keep. */
  onQuote(_quote: QuoteTick): void {}
  /** Every trade printed on the venue. The object is reused: copy what you keep. */
  onTrade(_trade: TradeTick): void {}
  /** The book after each complete venue message (never mid-message). Read it; do not keep or change it. */
  onBook(_book: OrderBook): void {}
  onOrderEvent(_event: OrderEvent): void {}
  onFill(_fill: Fill): void {}
  onOrderDenied(_denied: OrderDenied): void {}
  onTimer(_event: TimerEvent): void {}
  onStop(): void {}
}
