import type { Clock } from '../../core/index.js';
import { type InstrumentId, type UnixMicros, invalid } from '../../model/index.js';

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

export interface FundingPayment {
  readonly ts: UnixMicros;
  readonly instrumentId: InstrumentId;
  readonly rate: number;
  readonly quantity: number;
  readonly markPrice: number;
  /** Cash received (> 0) or paid (< 0). */
  readonly amount: number;
}

/** What settlement needs from the account: the position held and where to book the cash. */
export interface FundingAccount {
  position(id: InstrumentId): { readonly quantity: number; readonly lastPrice: number } | undefined;
  applyFunding(id: InstrumentId, amount: number, ts: UnixMicros, ref: string): void;
}

/**
 * Settles funding of the perpetuals of one run: remembers the published rates and mark prices per
 * instrument, and at each funding time (a clock timer) books each open position's payment in the
 * account at the mark price (else the book mid, else the last trade), listing every payment.
 */
export class FundingSettlement {
  readonly payments: FundingPayment[] = [];
  private readonly models: (FundingModel | undefined)[] = [];
  private readonly ids: InstrumentId[] = [];
  private readonly multipliers: number[] = [];
  private marks: number[] = [];
  private readonly account: FundingAccount;
  private readonly mid: (inst: number) => number;

  constructor(account: FundingAccount, mid: (inst: number) => number) {
    this.account = account;
    this.mid = mid;
  }

  /** Registers instrument number `inst` (in venue order); `schedule` undefined: it pays no funding. */
  add(
    inst: { id: InstrumentId; kind: string; multiplier: number },
    schedule: FundingScheduleOptions | undefined,
  ): void {
    this.models.push(inst.kind === 'perpetual' && schedule ? new FundingModel(schedule) : undefined);
    this.ids.push(inst.id);
    this.multipliers.push(inst.multiplier);
    this.marks.push(Number.NaN);
  }

  onRate(inst: number, rate: number, ts: UnixMicros): void {
    this.models[inst]?.onRate(rate, ts);
  }

  onMark(inst: number, price: number): void {
    this.marks[inst] = price;
  }

  /** Sets one repeating timer per perpetual from its first funding time at or after `start`. */
  schedule(clock: Clock, start: UnixMicros): void {
    for (let i = 0; i < this.models.length; i++) {
      const model = this.models[i];
      if (!model) continue;
      clock.setTimer(`funding:${this.ids[i]}`, {
        startAt: model.nextFundingAtOrAfter(start),
        intervalUs: model.intervalUs,
        callback: (ev) => this.settle(i, ev.ts),
      });
    }
  }

  /** Books the payment of instrument `inst` at funding time `ts`. */
  settle(inst: number, ts: UnixMicros): void {
    const model = this.models[inst];
    const id = this.ids[inst]!;
    const pos = this.account.position(id);
    if (!model || !pos || pos.quantity === 0 || Number.isNaN(model.rate)) return;
    let mark = this.marks[inst]!;
    if (!(mark > 0)) mark = this.mid(inst);
    if (!(mark > 0)) mark = pos.lastPrice;
    const amount = model.paymentFor(pos.quantity, mark, this.multipliers[inst]);
    if (amount === 0) return;
    this.account.applyFunding(id, amount, ts, `funding:${id}:${ts}`);
    this.payments.push({
      ts,
      instrumentId: id,
      rate: model.rate,
      quantity: pos.quantity,
      markPrice: mark,
      amount,
    });
  }
}
