import { z } from 'zod';
import { ATR } from '../indicators/atr.js';
import { EMA } from '../indicators/ema.js';
import type { Indicator } from '../indicators/indicator.js';
import { SMA } from '../indicators/sma.js';
import type { Bar } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';
import { boolParam } from './params.js';

export const maCrossConfidenceParams = z
  .object({
    fast: z.coerce.number().int().min(1).default(10).describe('fast moving-average period (bars)'),
    slow: z.coerce.number().int().min(2).default(30).describe('slow moving-average period (bars)'),
    ma: z.enum(['ema', 'sma']).default('ema').describe('kind of moving average'),
    atrPeriod: z.coerce.number().int().min(1).default(20).describe('ATR period that scales the confidence'),
    fullConfidenceAtr: z.coerce
      .number()
      .gt(0)
      .default(1)
      .describe('MA separation, in ATRs, that counts as confidence 1'),
    minConfidence: z.coerce.number().min(0).max(1).default(0.25).describe('least confidence to enter'),
    volumePeriod: z.coerce.number().int().min(1).default(20).describe('SMA period of volume'),
    volumeFactor: z.coerce
      .number()
      .min(0)
      .default(1.2)
      .describe('bar volume must reach this × its average (0: off)'),
    confirmBars: z.coerce
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('bars after a cross in which both confirmations may arrive'),
    fraction: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.95)
      .describe('equity share at confidence 1 (scaled by confidence)'),
    short: boolParam.default(false).describe('also trade the cross below, short'),
  })
  .strict()
  .refine((p) => p.fast < p.slow, { message: 'fast must be less than slow', path: ['fast'] });

export type MaCrossConfidenceParams = z.infer<typeof maCrossConfidenceParams>;

/**
 * Moving-average crossover with a confidence score and volume confirmation.
 *
 * - Confidence = min(1, |fast − slow| / (fullConfidenceAtr · ATR)): the separation of the averages in units
 *   of volatility, so the same rule means the same thing on a quiet and on a wild market. At the cross bar
 *   itself the separation is ~0, so a cross opens a window of `confirmBars` bars in which the averages
 *   must separate to `minConfidence` while the bar's volume is at least `volumeFactor` × SMA(volume) —
 *   a breakout on thin volume is the classic false signal (Granville; Murphy 1999, "Technical Analysis of
 *   the Financial Markets", ch. 7).
 * - Size: `fraction` × confidence of equity, in whole lots: weak signals get small positions.
 * - Exit: the opposite cross closes the position at once, unconfirmed (with `short`, it may also open
 *   the opposite side under the same confirmation rules).
 */
export class MaCrossConfidence extends Strategy<MaCrossConfidenceParams> {
  private readonly fast: Indicator;
  private readonly slow: Indicator;
  private readonly atr: ATR;
  private readonly volume: SMA;
  private prevDiff = Number.NaN;
  /** +1 / −1 while a cross waits for confirmation, 0 otherwise. */
  private pending = 0;
  private pendingLeft = 0;
  /** Confidence of the last bar (0..1), NaN during warm-up. */
  confidence = Number.NaN;

  constructor(params: Partial<MaCrossConfidenceParams> = {}, id = 'ma-cross-confidence') {
    super(maCrossConfidenceParams.parse(params), id);
    const p = this.params;
    this.fast = p.ma === 'ema' ? new EMA(p.fast) : new SMA(p.fast);
    this.slow = p.ma === 'ema' ? new EMA(p.slow) : new SMA(p.slow);
    this.atr = new ATR(p.atrPeriod);
    this.volume = new SMA(p.volumePeriod);
  }

  override get warmupBars(): number {
    const p = this.params;
    return Math.max(p.slow, p.atrPeriod + 1, p.volumePeriod);
  }

  override onBar(bar: Bar): void {
    const f = this.fast.update(bar.close);
    const s = this.slow.update(bar.close);
    const atr = this.atr.update(bar.high, bar.low, bar.close);
    const avgVol = this.volume.update(bar.volume);
    const p = this.params;
    const diff = f - s;
    const prev = this.prevDiff;
    this.prevDiff = diff;
    if (!(this.atr.ready && this.volume.ready) || diff !== diff) return;
    this.confidence = atr > 0 ? Math.min(1, Math.abs(diff) / (p.fullConfidenceAtr * atr)) : 0;

    const ctx = this.ctx;
    const held = ctx.position().quantity;
    // NaN comparisons are false: no cross is seen until both averages have a previous value.
    const crossUp = prev < 0 && diff > 0;
    const crossDown = prev > 0 && diff < 0;
    if (crossUp || crossDown) {
      const dir = crossUp ? 1 : -1;
      if (held * dir < 0) ctx.closePosition(undefined, crossUp ? 'cross-up-exit' : 'cross-down-exit');
      this.pending = dir === 1 || p.short ? dir : 0;
      this.pendingLeft = p.confirmBars;
    }
    if (this.pending === 0) return;
    if (diff * this.pending <= 0 || this.pendingLeft-- <= 0) {
      this.pending = 0; // crossed back, or the window closed unconfirmed
      return;
    }
    const volumeOk = p.volumeFactor === 0 || bar.volume >= p.volumeFactor * avgVol;
    if (this.confidence < p.minConfidence || !volumeOk) return;
    const fraction = p.fraction * this.confidence;
    if (this.pending > 0) ctx.buy({ fraction, tag: 'ma-cross-up' });
    else ctx.sell({ fraction, tag: 'ma-cross-down' });
    this.pending = 0;
  }
}
