import { checkPeriod, type BarIndicator } from './indicator.js';
import { RollingMax, RollingMin } from './rolling-extremes.js';
import { SMA } from './sma.js';

/**
 * Stochastic oscillator (George Lane, 1950s; "Lane's Stochastics", TASC 1984). raw %K = 100·(close − LL) /
 * (HH − LL) over `kPeriod` bars; %K = SMA(`kSmoothing`) of raw %K (the "slow" stochastic; kSmoothing = 1
 * gives the fast one); %D = SMA(`dPeriod`) of %K. Matches TA-Lib's STOCH with SMA smoothing. `value` is %K;
 * both outputs appear together after kPeriod + kSmoothing + dPeriod − 2 bars. A bar range of zero over the
 * window gives raw %K = 50 (TA-Lib gives 0, which would read as deeply oversold on a halted market).
 */
export class Stochastic implements BarIndicator {
  readonly kPeriod: number;
  readonly kSmoothing: number;
  readonly dPeriod: number;
  readonly warmup: number;
  value = Number.NaN;
  k = Number.NaN;
  d = Number.NaN;
  private readonly hh: RollingMax;
  private readonly ll: RollingMin;
  private readonly kSma: SMA;
  private readonly dSma: SMA;

  constructor(kPeriod = 14, kSmoothing = 3, dPeriod = 3) {
    checkPeriod('stochastic.kPeriod', kPeriod);
    checkPeriod('stochastic.kSmoothing', kSmoothing);
    checkPeriod('stochastic.dPeriod', dPeriod);
    this.kPeriod = kPeriod;
    this.kSmoothing = kSmoothing;
    this.dPeriod = dPeriod;
    this.warmup = kPeriod + kSmoothing + dPeriod - 2;
    this.hh = new RollingMax(kPeriod);
    this.ll = new RollingMin(kPeriod);
    this.kSma = new SMA(kSmoothing);
    this.dSma = new SMA(dPeriod);
  }

  get ready(): boolean {
    return this.dSma.ready;
  }

  update(high: number, low: number, close: number): number {
    const h = this.hh.update(high);
    const l = this.ll.update(low);
    if (!this.hh.ready) return this.value;
    const range = h - l;
    const raw = range > 0 ? (100 * (close - l)) / range : 50;
    const k = this.kSma.update(raw);
    if (!this.kSma.ready) return this.value;
    const d = this.dSma.update(k);
    if (!this.dSma.ready) return this.value;
    this.k = k;
    this.d = d;
    this.value = k;
    return k;
  }

  reset(): void {
    this.hh.reset();
    this.ll.reset();
    this.kSma.reset();
    this.dSma.reset();
    this.value = this.k = this.d = Number.NaN;
  }
}
