import { invalid } from './errors.js';
import type { UnixMicros } from './ids.js';

export type LedgerEntryKind = 'deposit' | 'withdrawal' | 'trade' | 'fee' | 'funding' | 'realized-pnl';

export interface LedgerEntry {
  readonly seq: number;
  readonly ts: UnixMicros;
  readonly currency: string;
  readonly kind: LedgerEntryKind;
  /** Exact amount in minor units (10^-decimals of the currency). */
  readonly units: bigint;
  /** The order, fill or funding event this entry books. */
  readonly ref: string;
}

/**
 * A cash ledger per currency. Every amount is rounded once to the currency's minor unit (8 decimals by
 * default) and then kept as an exact integer (bigint), so balances are exactly the sum of their entries
 * after any number of fills: there is no float drift to reconcile away. A float mirror of each balance
 * serves the hot path (equity marking) and is recomputed from the exact value after every entry.
 */
export class CashLedger {
  private readonly decimals = new Map<string, number>();
  private readonly scales = new Map<string, number>();
  private readonly exact = new Map<string, bigint>();
  private readonly mirror = new Map<string, number>();
  readonly entries: LedgerEntry[] = [];
  /** Keep every entry (audits, tests); a long paper-trading run may turn this off and persist instead. */
  keepEntries = true;
  private seq = 0;

  constructor(currencyDecimals: Record<string, number> = {}, private readonly defaultDecimals = 8) {
    for (const [c, d] of Object.entries(currencyDecimals)) this.setDecimals(c, d);
  }

  setDecimals(currency: string, decimals: number): void {
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12)
      throw invalid(`ledger.decimals.${currency}`, decimals, 'must be an integer between 0 and 12');
    this.decimals.set(currency, decimals);
    this.scales.set(currency, 10 ** decimals);
  }

  decimalsOf(currency: string): number {
    return this.decimals.get(currency) ?? this.defaultDecimals;
  }

  /** Rounds a float amount to the currency's minor unit, half away from zero. */
  toUnits(currency: string, amount: number): bigint {
    if (!Number.isFinite(amount)) throw invalid(`ledger.amount.${currency}`, amount, 'must be finite');
    const scale = this.scales.get(currency) ?? 10 ** this.defaultDecimals;
    const scaled = Math.abs(amount) * scale;
    // Beyond 2^53 a float has no fractional part left to round.
    const u = scaled < 9e15 ? BigInt(Math.round(scaled)) : BigInt(Math.round(scaled).toString());
    return amount < 0 ? -u : u;
  }

  fromUnits(currency: string, units: bigint): number {
    const d = this.decimalsOf(currency);
    const s = 10n ** BigInt(d);
    const whole = units / s;
    const frac = units % s;
    return Number(whole) + Number(frac) / Number(s);
  }

  /** Books `amount` (positive = cash in) and returns the exact units booked. */
  post(ts: UnixMicros, currency: string, kind: LedgerEntryKind, amount: number, ref: string): bigint {
    const units = this.toUnits(currency, amount);
    const bal = (this.exact.get(currency) ?? 0n) + units;
    this.exact.set(currency, bal);
    this.mirror.set(currency, this.fromUnits(currency, bal));
    if (this.keepEntries) this.entries.push({ seq: this.seq, ts, currency, kind, units, ref });
    this.seq++;
    return units;
  }

  balance(currency: string): number {
    return this.mirror.get(currency) ?? 0;
  }

  balanceUnits(currency: string): bigint {
    return this.exact.get(currency) ?? 0n;
  }

  currencies(): string[] {
    return [...this.exact.keys()];
  }

  /** Sum of the kept entries of a currency (optionally of some kinds), in exact units. */
  sumUnits(currency: string, kinds?: readonly LedgerEntryKind[]): bigint {
    let s = 0n;
    for (const e of this.entries) if (e.currency === currency && (!kinds || kinds.includes(e.kind))) s += e.units;
    return s;
  }
}
