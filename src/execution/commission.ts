import { type Instrument, type Liquidity, invalid } from '../model/index.js';
import type { CommissionSpec } from './ports.js';

/** Fee of one fill in the quote currency (positive = paid; a negative maker fee is a rebate). */
export class CommissionModel {
  readonly rate: number | undefined;
  readonly fixed: number;
  constructor(spec: CommissionSpec = {}) {
    if (spec.rate !== undefined && !(Number.isFinite(spec.rate) && spec.rate > -0.1 && spec.rate < 0.1))
      throw invalid(
        'commission.rate',
        spec.rate,
        'must be a fraction of notional between -0.1 and 0.1 (0.002 = 0.2%)',
      );
    if (spec.fixed !== undefined && !(Number.isFinite(spec.fixed) && spec.fixed >= 0))
      throw invalid('commission.fixed', spec.fixed, 'must be a non-negative amount per fill');
    this.rate = spec.rate;
    this.fixed = spec.fixed ?? 0;
  }

  rateFor(instrument: Instrument, liquidity: Liquidity): number {
    return this.rate ?? (liquidity === 'maker' ? instrument.makerFee : instrument.takerFee);
  }

  fee(instrument: Instrument, quantity: number, price: number, liquidity: Liquidity): number {
    return this.fixed + Math.abs(instrument.notional(quantity, price)) * this.rateFor(instrument, liquidity);
  }
}
