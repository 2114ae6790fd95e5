import { type UnixMicros, invalid } from '../../model/index.js';

const HOUR_US = 3_600_000_000;

export interface FundingScheduleOptions {
  /** Hours between fundings (8 on Binance, Bybit, OKX perpetuals; 1 on Hyperliquid, dYdX). */
  readonly intervalHours?: number;
  /** Hours after 00:00 UTC of the first funding of the day (0 → 00:00, 08:00, 16:00 UTC). */
  readonly offsetHours?: number;
}

/**
 * Funding of a perpetual: at every funding time the holder of a position pays (or receives)
 * position × mark price × rate. A positive rate means longs pay shorts. Which rate: the last one
 * published at or before the funding time (venues publish the predicted rate until it settles), e.g.
 * https://www.binance.com/en/support/faq/introduction-to-binance-futures-funding-rates-360033525031
 */
export class FundingModel {
  readonly intervalUs: number;
  readonly offsetUs: number;
  /** The rate in force (NaN before the first published one). */
  rate = Number.NaN;
  rateTs: UnixMicros = Number.NaN;

  constructor(opts: FundingScheduleOptions = {}) {
    const h = opts.intervalHours ?? 8;
    const off = opts.offsetHours ?? 0;
    if (!(h > 0 && 24 % h === 0)) throw invalid('funding.intervalHours', h, 'must divide 24 (1, 2, 4, 8, …)');
    if (!(off >= 0 && off < h)) throw invalid('funding.offsetHours', off, `must be in [0, ${h})`);
    this.intervalUs = h * HOUR_US;
    this.offsetUs = off * HOUR_US;
  }

  /** The first funding time strictly after `ts`. */
  nextFundingAfter(ts: UnixMicros): UnixMicros {
    const k = Math.floor((ts - this.offsetUs) / this.intervalUs) + 1;
    return k * this.intervalUs + this.offsetUs;
  }

  /** The first funding time at or after `ts`. */
  nextFundingAtOrAfter(ts: UnixMicros): UnixMicros {
    const k = Math.ceil((ts - this.offsetUs) / this.intervalUs);
    return k * this.intervalUs + this.offsetUs;
  }

  isFundingTime(ts: UnixMicros): boolean {
    return (ts - this.offsetUs) % this.intervalUs === 0;
  }

  /** Records a published rate (events arrive in time order). */
  onRate(rate: number, ts: UnixMicros): void {
    if (!(Number.isFinite(rate) && Math.abs(rate) < 1))
      throw invalid('funding.rate', rate, 'must be a fraction between -1 and 1');
    this.rate = rate;
    this.rateTs = ts;
  }

  /**
   * Cash the account receives (> 0) or pays (< 0) for a position of `signedQuantity` (> 0 long) at
   * `markPrice`, with the rate in force: −quantity × mark × multiplier × rate. 0 before any rate.
   */
  paymentFor(signedQuantity: number, markPrice: number, multiplier = 1): number {
    if (Number.isNaN(this.rate) || signedQuantity === 0) return 0;
    if (!(markPrice > 0)) throw invalid('funding.markPrice', markPrice, 'must be a positive price');
    return -signedQuantity * markPrice * multiplier * this.rate;
  }
}
