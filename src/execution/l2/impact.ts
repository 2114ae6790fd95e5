import { invalid } from '../../model/index.js';

export interface SquareRootImpactOptions {
  /** Daily volatility of returns (0.03 = 3%). */
  readonly dailyVolatility: number;
  /** Daily traded volume, in units of the instrument. */
  readonly dailyVolume: number;
  /** The law's constant of order one (estimates range 0.5–1; Tóth et al. 2011 report ≈ 0.5–0.7 in futures). */
  readonly y?: number;
}

/**
 * Permanent price impact of our own aggressive volume by the square-root law: a metaorder of Q moves
 * the price by ΔP / P = Y · σ_daily · √(Q / V_daily) (Almgren, Thum, Hauptmann & Li 2005; Tóth et al.
 * 2011, "Anomalous price impact and the critical nature of liquidity"). The walk of the book is the
 * temporary impact; this is what stays: the venue shifts its whole simulated book by ΔP, in whole ticks,
 * in the direction we traded, and replays later market data shifted by the same amount.
 */
export class SquareRootImpact {
  readonly dailyVolatility: number;
  readonly dailyVolume: number;
  readonly y: number;

  constructor(opts: SquareRootImpactOptions) {
    if (!(Number.isFinite(opts.dailyVolatility) && opts.dailyVolatility > 0))
      throw invalid(
        'impact.dailyVolatility',
        opts.dailyVolatility,
        'must be a positive fraction (0.03 = 3%)',
      );
    if (!(Number.isFinite(opts.dailyVolume) && opts.dailyVolume > 0))
      throw invalid('impact.dailyVolume', opts.dailyVolume, 'must be a positive quantity');
    const y = opts.y ?? 0.7;
    if (!(Number.isFinite(y) && y > 0)) throw invalid('impact.y', y, 'must be a positive number');
    this.dailyVolatility = opts.dailyVolatility;
    this.dailyVolume = opts.dailyVolume;
    this.y = y;
  }

  /** Price move (≥ 0) caused by taking `quantity` at `price`. */
  priceShift(quantity: number, price: number): number {
    return price * this.y * this.dailyVolatility * Math.sqrt(Math.abs(quantity) / this.dailyVolume);
  }

  /** The same move in whole ticks (rounded down: a move smaller than a tick does not show in the book). */
  tickShift(quantity: number, price: number, tickSize: number): number {
    return Math.floor(this.priceShift(quantity, price) / tickSize + 1e-9);
  }
}
