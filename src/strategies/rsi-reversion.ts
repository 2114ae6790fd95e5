import { z } from 'zod';
import { ATR } from '../indicators/atr.js';
import { RSI } from '../indicators/rsi.js';
import { SMA } from '../indicators/sma.js';
import type { Bar, Fill, Order } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';
import { boolParam } from './params.js';

export const rsiReversionParams = z
  .object({
    rsiPeriod: z.coerce.number().int().min(2).default(14).describe('RSI period (bars)'),
    oversold: z.coerce.number().gt(0).lt(100).default(30).describe('enter long when RSI falls below this'),
    exitLevel: z.coerce.number().gt(0).lt(100).default(50).describe('exit when RSI rises to this'),
    atrPeriod: z.coerce.number().int().min(1).default(14).describe('ATR period for the stop and the size'),
    stopAtr: z.coerce.number().gt(0).default(2).describe('stop loss distance below the entry fill, in ATRs'),
    riskPercent: z.coerce
      .number()
      .gt(0)
      .max(100)
      .default(1)
      .describe('equity lost if the stop is hit, percent'),
    trendPeriod: z.coerce.number().int().min(2).default(200).describe('SMA period of the trend filter'),
    trendFilter: boolParam.default(true).describe('only buy dips while the close is above the trend SMA'),
  })
  .strict()
  .refine((p) => p.oversold < p.exitLevel, {
    message: 'oversold must be below exitLevel',
    path: ['oversold'],
  });

export type RsiReversionParams = z.infer<typeof rsiReversionParams>;

/**
 * RSI mean reversion, long only (after Connors & Alvarez, "Short Term Trading Strategies That Work", 2009:
 * buy oversold pullbacks, but only above the 200-day average).
 *
 * - Entry: RSI < `oversold` and (with the trend filter) close > SMA(`trendPeriod`); a market buy, filled at
 *   the next bar's open.
 * - Size: risk `riskPercent` of equity on the stop: quantity = equity·risk / (stopAtr·ATR), in whole lots,
 *   never more than the cash buys (no leverage) — the volatility sizing of the Turtle rules (Faith 2007).
 * - Stop loss: a reduce-only stop-market sell at fill price − stopAtr·ATR, placed when the entry fills.
 * - Exit: RSI ≥ `exitLevel` closes the position at market and cancels the stop.
 * - After a stop-out no new entry until RSI has been back to `exitLevel`: a dip that keeps falling stays
 *   oversold, and re-buying it every bar would turn one stop into a string of them.
 */
export class RsiReversion extends Strategy<RsiReversionParams> {
  private readonly rsi: RSI;
  private readonly atr: ATR;
  private readonly trend: SMA;
  private entry: Order | undefined = undefined;
  private stop: Order | undefined = undefined;
  /** ATR·stopAtr at the signal, applied to the entry's fill price. */
  private stopDistance = 0;
  private armed = true;

  constructor(params: Partial<RsiReversionParams> = {}, id = 'rsi-reversion') {
    super(rsiReversionParams.parse(params), id);
    this.rsi = new RSI(this.params.rsiPeriod);
    this.atr = new ATR(this.params.atrPeriod);
    this.trend = new SMA(this.params.trendPeriod);
  }

  override get warmupBars(): number {
    const p = this.params;
    return Math.max(p.rsiPeriod, p.atrPeriod, p.trendFilter ? p.trendPeriod - 1 : 0);
  }

  override onBar(bar: Bar): void {
    const rsi = this.rsi.update(bar.close);
    const atr = this.atr.update(bar.high, bar.low, bar.close);
    const trend = this.trend.update(bar.close);
    const p = this.params;
    if (!this.rsi.ready || !this.atr.ready || (p.trendFilter && !this.trend.ready)) return;
    const ctx = this.ctx;
    const qty = ctx.position().quantity;
    if (!this.armed && rsi >= p.exitLevel) this.armed = true;

    if (qty > 0) {
      if (rsi >= p.exitLevel) {
        if (this.stop) ctx.cancel(this.stop);
        this.stop = undefined;
        ctx.closePosition(undefined, 'rsi-exit');
      }
      return;
    }
    if (this.entry?.isOpen) return;
    this.entry = undefined;
    if (!this.armed || !(rsi < p.oversold) || (p.trendFilter && !(bar.close > trend))) return;

    const distance = p.stopAtr * atr;
    if (!(distance > 0)) return;
    const byRisk = Math.floor((ctx.equity() * p.riskPercent) / 100 / distance);
    const byCash = ctx.sizing.allCash(bar.close);
    const size = ctx.sizing.fixed(Math.min(byRisk, byCash));
    if (size <= 0) return;
    this.stopDistance = distance;
    this.entry = ctx.buy({ quantity: size, tag: 'rsi-entry' });
  }

  override onFill(fill: Fill): void {
    // Our own fills only arrive here; the entry's fill places the protective stop.
    if (this.entry && fill.orderId === this.entry.id) {
      if (this.stop) this.ctx.cancel(this.stop);
      const held = this.ctx.position().quantity;
      this.stop = this.ctx.sell({
        type: 'stop-market',
        triggerPrice: fill.price - this.stopDistance,
        quantity: held,
        reduceOnly: true,
        tag: 'stop',
      });
    } else if (this.stop && fill.orderId === this.stop.id) {
      this.stop = undefined;
      this.armed = false;
    }
  }
}
