// A complete strategy you can copy: run it with `npx tsx examples/breakout.ts`.
// It buys when the close breaks above the highest high of the last `lookback` bars, with a stop-loss
// order below, and exits when the close falls under the lowest low.
import { BacktestEngine, BarSeries, Strategy, defaultInstrument, readCsvBars } from '../src/index.js';
import type { Bar, Fill, OrderEvent } from '../src/index.js';

interface Params {
  lookback: number;
  stopPct: number;
}

export class Breakout extends Strategy<Params> {
  private highs: number[] = [];
  private lows: number[] = [];

  constructor(params: Params = { lookback: 20, stopPct: 5 }) {
    super(params, 'breakout');
  }

  override get warmupBars(): number {
    return this.params.lookback;
  }

  override onStart(): void {
    this.ctx.log.info('starting', { lookback: this.params.lookback });
  }

  override onBar(bar: Bar): void {
    const { lookback, stopPct } = this.params;
    const ready = this.highs.length === lookback;
    const hi = ready ? Math.max(...this.highs) : Infinity;
    const lo = ready ? Math.min(...this.lows) : -Infinity;
    const pos = this.ctx.position();
    if (pos.isFlat && bar.close > hi) {
      // Half the equity, in whole shares; the stop rests at the venue until it fills or is canceled.
      const qty = this.ctx.sizing.percentOfEquity(50, bar.close);
      if (qty > 0) {
        this.ctx.buy({ quantity: qty, tag: 'breakout' });
        this.ctx.sell({ type: 'stop-market', triggerPrice: bar.close * (1 - stopPct / 100), quantity: qty, reduceOnly: true, tag: 'stop' });
      }
    } else if (pos.isLong && bar.close < lo) {
      this.ctx.cancelAll();
      this.ctx.closePosition(undefined, 'exit');
    }
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (this.highs.length > lookback) {
      this.highs.shift();
      this.lows.shift();
    }
  }

  override onOrderEvent(ev: OrderEvent): void {
    if (ev.kind === 'denied') this.ctx.log.warn('order denied', { reason: ev.reason });
  }

  override onFill(fill: Fill): void {
    // When the stop fills, nothing else is left to cancel; when the exit fills, the stop was canceled.
    this.ctx.log.info('fill', { side: fill.side, qty: fill.quantity, price: fill.price });
  }
}

export function runExample(csv = 'examples/data/GOOG.csv') {
  const { series }: { series: BarSeries } = readCsvBars(csv, { instrumentId: 'GOOG' });
  const engine = new BacktestEngine({ cash: 10_000, commission: 0.001 });
  engine.addInstrument(defaultInstrument('GOOG'), series);
  engine.addStrategy(new Breakout({ lookback: 20, stopPct: 5 }));
  return engine.run();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = runExample();
  console.log(result.stats);
}
