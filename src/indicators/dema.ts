import { EMA } from './ema.js';
import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Double exponential moving average (Mulloy 1994, "Smoothing Data with Faster Moving Averages", TASC):
 * 2·EMA(x) − EMA(EMA(x)). Both EMAs are SMA-seeded as in TA-Lib, so the inner EMA starts once the outer
 * one is ready and the first value arrives after 2·period − 1 inputs.
 */
export class DEMA implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly e1: EMA;
  private readonly e2: EMA;

  constructor(period: number) {
    checkPeriod('dema.period', period);
    this.period = period;
    this.warmup = 2 * period - 1;
    this.e1 = new EMA(period);
    this.e2 = new EMA(period);
  }

  get ready(): boolean {
    return this.e2.ready;
  }

  update(x: number): number {
    const a = this.e1.update(x);
    if (!this.e1.ready) return this.value;
    const b = this.e2.update(a);
    if (this.e2.ready) this.value = 2 * a - b;
    return this.value;
  }

  reset(): void {
    this.e1.reset();
    this.e2.reset();
    this.value = Number.NaN;
  }
}
