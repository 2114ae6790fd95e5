import { z } from 'zod';
import { SMA } from '../indicators/sma.js';
import type { Bar } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';
import { BTPY_FRACTION, boolParam } from './params.js';

export const smaCrossParams = z
  .object({
    fast: z.coerce.number().int().min(1).default(10).describe('fast SMA period (bars)'),
    slow: z.coerce.number().int().min(2).default(20).describe('slow SMA period (bars)'),
    short: boolParam.default(false).describe('reverse into a short on a cross below instead of going flat'),
    fraction: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(BTPY_FRACTION)
      .describe('share of available equity per entry, in whole lots'),
  })
  .strict()
  .refine((p) => p.fast < p.slow, { message: 'fast must be less than slow', path: ['fast'] });

export type SmaCrossParams = z.infer<typeof smaCrossParams>;

/**
 * Moving-average crossover: long when the fast SMA crosses above the slow one; on a cross below, close
 * (or, with short=true, close and go short). A cross is strict on both bars, as backtesting.py's
 * `crossover`: fast[t-1] < slow[t-1] and fast[t] > slow[t].
 */
export class SmaCross extends Strategy<SmaCrossParams> {
  private readonly fast: SMA;
  private readonly slow: SMA;
  private prevFast = Number.NaN;
  private prevSlow = Number.NaN;

  constructor(params: Partial<SmaCrossParams> = {}, id = 'sma-cross') {
    super(smaCrossParams.parse(params), id);
    this.fast = new SMA(this.params.fast);
    this.slow = new SMA(this.params.slow);
  }

  override get warmupBars(): number {
    return this.params.slow - 1;
  }

  override onBar(bar: Bar): void {
    // push and read the field: update()'s returned double is a new heap number whenever V8 does not inline
    // update (measured: such runs took a third longer, most of it collecting those numbers).
    this.fast.push(bar.close);
    this.slow.push(bar.close);
    const f = this.fast.value;
    const s = this.slow.value;
    const pf = this.prevFast;
    const ps = this.prevSlow;
    this.prevFast = f;
    this.prevSlow = s;
    // NaN comparisons are false, so nothing happens during warm-up. The orders are placed here, not in
    // methods called from here: small enough, this method got inlined into the engine's bar loop inside
    // the kernel's try block, and there V8 boxed both averages on every bar (64 bytes a bar, measured
    // with the sampling heap profiler; docs/BENCHMARKS.md).
    if (pf < ps && f > s) {
      const ctx = this.ctx;
      if (ctx.position().quantity < 0) ctx.closePosition();
      ctx.buy({ fraction: this.params.fraction, tag: 'cross-up' });
    } else if (pf > ps && f < s) {
      const ctx = this.ctx;
      if (ctx.position().quantity > 0) ctx.closePosition();
      if (this.params.short) ctx.sell({ fraction: this.params.fraction, tag: 'cross-down' });
    }
  }
}
