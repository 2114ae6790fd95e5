import { invalid } from '../model/index.js';
import { checkPeriod, type IndicatorState } from '../indicators/indicator.js';

/**
 * VPIN, volume-synchronized probability of informed trading (Easley, López de Prado & O'Hara 2012, "Flow
 * Toxicity and Liquidity in a High-frequency World", Review of Financial Studies): trades fill equal-volume
 * buckets of `bucketVolume`; each full bucket contributes its order imbalance |V_buy − V_sell|, and VPIN
 * = Σ|V_buy − V_sell| / (n·V) over the last n = `buckets` buckets, in [0, 1].
 *
 * Trades come already classified (aggressor side, as venues report it) rather than by the paper's bulk
 * volume classification, which exists for data without sides. A trade larger than the room left in a
 * bucket is split across buckets, as in the paper. Cost per trade is O(1 + buckets it completes).
 */
export class VPIN implements IndicatorState {
  readonly bucketVolume: number;
  readonly buckets: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly imb: Float64Array;
  private i = 0;
  private full = 0;
  private sum = 0;
  private buy = 0;
  private sell = 0;

  constructor(bucketVolume: number, buckets = 50) {
    if (!(Number.isFinite(bucketVolume) && bucketVolume > 0))
      throw invalid('vpin.bucketVolume', bucketVolume, 'must be a finite number > 0');
    checkPeriod('vpin.buckets', buckets);
    this.bucketVolume = bucketVolume;
    this.buckets = buckets;
    this.warmup = buckets;
    this.imb = new Float64Array(buckets);
  }

  /** Ready once `buckets` buckets have filled (`warmup` counts buckets here, not trades). */
  get ready(): boolean {
    return this.full >= this.buckets;
  }

  update(side: 1 | -1, quantity: number): number {
    const V = this.bucketVolume;
    let rest = quantity;
    while (rest > 0) {
      const room = V - (this.buy + this.sell);
      const take = rest < room ? rest : room;
      if (side > 0) this.buy += take;
      else this.sell += take;
      rest -= take;
      if (take === room) this.closeBucket();
    }
    return this.value;
  }

  private closeBucket(): void {
    const x = Math.abs(this.buy - this.sell);
    this.buy = this.sell = 0;
    const i = this.i;
    if (this.full < this.buckets) this.full++;
    else this.sum -= this.imb[i]!;
    this.imb[i] = x;
    this.sum += x;
    this.i = i + 1 === this.buckets ? 0 : i + 1;
    if (this.full >= this.buckets) {
      // Re-sum once per cycle of the ring so rounding cannot accumulate.
      if (this.i === 0) {
        let s = 0;
        for (let k = 0; k < this.buckets; k++) s += this.imb[k]!;
        this.sum = s;
      }
      this.value = this.sum / (this.buckets * this.bucketVolume);
    }
  }

  reset(): void {
    this.imb.fill(0);
    this.i = this.full = 0;
    this.sum = this.buy = this.sell = 0;
    this.value = Number.NaN;
  }
}
