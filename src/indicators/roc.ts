import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Rate of change in percent: 100·(x / x[period bars ago] − 1), TA-Lib's ROC. Ready after period + 1
 * inputs. A zero reference price gives 0, as TA-Lib does, rather than ±Infinity.
 */
export class ROC implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly buf: Float64Array;
  private i = 0;
  private n = 0;

  constructor(period = 10) {
    checkPeriod('roc.period', period);
    this.period = period;
    this.warmup = period + 1;
    this.buf = new Float64Array(period);
  }

  get ready(): boolean {
    return this.n > this.period;
  }

  update(x: number): number {
    const p = this.period;
    const old = this.buf[this.i]!;
    this.buf[this.i] = x;
    this.i = this.i + 1 === p ? 0 : this.i + 1;
    if (this.n <= p && ++this.n <= p) return this.value;
    this.value = old !== 0 ? (x / old - 1) * 100 : 0;
    return this.value;
  }

  reset(): void {
    this.buf.fill(0);
    this.i = 0;
    this.n = 0;
    this.value = Number.NaN;
  }
}
