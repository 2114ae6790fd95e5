import { z } from 'zod';
import { ATR } from '../indicators/atr.js';
import { DonchianChannels } from '../indicators/donchian.js';
import { RSI } from '../indicators/rsi.js';
import type { Bar, Fill, Order } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';
import { boolParam } from './params.js';

export const momentumTrendParams = z
  .object({
    breakoutPeriod: z.coerce
      .number()
      .int()
      .min(2)
      .default(20)
      .describe('enter on a close above the high of this many bars'),
    atrPeriod: z.coerce.number().int().min(1).default(20).describe("ATR period (the Turtles' N)"),
    unitRiskPercent: z.coerce
      .number()
      .gt(0)
      .max(100)
      .default(1)
      .describe('equity per 1-ATR move of one unit, percent'),
    maxUnits: z.coerce
      .number()
      .int()
      .min(1)
      .max(20)
      .default(4)
      .describe('most units held at once (entry + adds)'),
    pyramidAtr: z.coerce
      .number()
      .gt(0)
      .default(1)
      .describe('add a unit each time the close gains this many ATRs on the last add'),
    trailAtr: z.coerce
      .number()
      .gt(0)
      .default(3)
      .describe('trailing stop distance below the highest close since entry, in ATRs'),
    rsiPeriod: z.coerce.number().int().min(2).default(14).describe('RSI period for divergence detection'),
    divergence: boolParam
      .default(true)
      .describe('exit on bearish divergence: a new closing high with RSI well below its peak'),
    divergenceGap: z.coerce
      .number()
      .gt(0)
      .lt(100)
      .default(15)
      .describe('RSI points below its peak that count as divergence'),
  })
  .strict();

export type MomentumTrendParams = z.infer<typeof momentumTrendParams>;

/**
 * Momentum / trend following, long only, after the Turtle rules (Faith 2007, "Way of the Turtle"):
 *
 * - Entry: the close breaks above the highest high of the previous `breakoutPeriod` bars (Donchian).
 * - Size: one unit = equity·unitRisk / ATR (a 1-ATR move changes equity by `unitRiskPercent`), whole lots,
 *   capped by the cash available (no leverage).
 * - Pyramiding: one more unit each time the close is `pyramidAtr` ATRs above the previous add's close,
 *   up to `maxUnits` units; never a second order while one is working.
 * - Trailing stop (chandelier, Le Beau): highest close since entry − trailAtr·ATR, only ever raised. A
 *   close below it exits at the next open.
 * - Divergence: on each new closing high since entry, if RSI is `divergenceGap` points or more below the
 *   highest RSI seen at the move's earlier highs, the move is losing momentum (classic bearish
 *   divergence: higher high in price, lower high in RSI) and the position is closed.
 */
export class MomentumTrend extends Strategy<MomentumTrendParams> {
  private readonly channel: DonchianChannels;
  private readonly atr: ATR;
  private readonly rsi: RSI;
  private working: Order | undefined = undefined;
  private units = 0;
  private lastAdd = Number.NaN;
  private highest = Number.NaN;
  private stop = Number.NaN;
  private rsiPeak = Number.NaN;
  private counted: Order['id'] | undefined = undefined;
  /** Most units ever held at once (for reports and tests). */
  maxUnitsHeld = 0;

  constructor(params: Partial<MomentumTrendParams> = {}, id = 'momentum-trend') {
    super(momentumTrendParams.parse(params), id);
    this.channel = new DonchianChannels(this.params.breakoutPeriod);
    this.atr = new ATR(this.params.atrPeriod);
    this.rsi = new RSI(this.params.rsiPeriod);
  }

  override get warmupBars(): number {
    const p = this.params;
    return Math.max(p.breakoutPeriod, p.atrPeriod, p.rsiPeriod);
  }

  override onBar(bar: Bar): void {
    // The breakout compares with the channel of the bars before this one: read it, then update.
    const upper = this.channel.upper;
    const wasReady = this.channel.ready;
    this.channel.update(bar.high, bar.low);
    const atr = this.atr.update(bar.high, bar.low, bar.close);
    const rsi = this.rsi.update(bar.close);
    if (!wasReady || !this.atr.ready || !this.rsi.ready) return;
    const ctx = this.ctx;
    const p = this.params;
    const held = ctx.position().quantity;
    if (this.working?.isOpen) return;
    this.working = undefined;

    if (held <= 0) {
      this.units = 0;
      if (bar.close > upper) this.add(bar, atr, 'breakout');
      return;
    }

    if (bar.close > this.highest) {
      this.highest = bar.close;
      if (p.divergence && rsi <= this.rsiPeak - p.divergenceGap) {
        this.exit('divergence');
        return;
      }
      if (!(rsi <= this.rsiPeak)) this.rsiPeak = rsi;
    }
    const trail = this.highest - p.trailAtr * atr;
    if (!(trail <= this.stop)) this.stop = trail;
    if (bar.close < this.stop) {
      this.exit('trail-stop');
      return;
    }
    if (this.units < p.maxUnits && bar.close >= this.lastAdd + p.pyramidAtr * atr)
      this.add(bar, atr, 'pyramid');
  }

  private add(bar: Bar, atr: number, tag: string): void {
    const ctx = this.ctx;
    const byRisk = Math.floor((ctx.equity() * this.params.unitRiskPercent) / 100 / atr);
    const size = ctx.sizing.fixed(Math.min(byRisk, ctx.sizing.allCash(bar.close)));
    if (size <= 0) return;
    this.working = ctx.buy({ quantity: size, tag });
    this.lastAdd = bar.close;
    if (this.units === 0) {
      this.highest = bar.close;
      this.stop = Number.NaN;
      this.rsiPeak = this.rsi.value;
    }
  }

  private exit(tag: string): void {
    this.working = this.ctx.closePosition(undefined, tag);
    this.units = 0;
  }

  override onFill(fill: Fill): void {
    // One unit per filled buy order, counted on its first fill (the bar venue fills whole orders).
    const w = this.working;
    if (fill.side !== 'buy' || !w || fill.orderId !== w.id || this.counted === w.id) return;
    this.counted = w.id;
    this.units++;
    if (this.units > this.maxUnitsHeld) this.maxUnitsHeld = this.units;
  }
}
