import { TickerError, invalid } from './errors.js';
import { StringTable } from './string-table.js';
import { RowStore } from './typed-arrays.js';
import type { UnixMicros } from './ids.js';

export type LedgerEntryKind = 'deposit' | 'withdrawal' | 'trade' | 'fee' | 'funding' | 'realized-pnl';

export interface LedgerEntry {
  readonly seq: number;
  readonly ts: UnixMicros;
  readonly currency: string;
  readonly kind: LedgerEntryKind;
  /** Exact amount in minor units (10^-decimals of the currency): an integer. */
  readonly units: number;
  /** The order, fill or funding event this entry books. */
  readonly ref: string;
}

const KINDS: readonly LedgerEntryKind[] = [
  'deposit',
  'withdrawal',
  'trade',
  'fee',
  'funding',
  'realized-pnl',
];
/**
 * KIND_CODE[kind], with the kinds a fill posts found by compares first: a keyed look-up with varying keys
 * stays megamorphic in V8, and this runs for every posting.
 */
function kindCode(kind: LedgerEntryKind): number {
  return kind === 'trade'
    ? KIND_CODE.trade
    : kind === 'fee'
      ? KIND_CODE.fee
      : kind === 'realized-pnl'
        ? KIND_CODE['realized-pnl']
        : kind === 'funding'
          ? KIND_CODE.funding
          : KIND_CODE[kind];
}

const KIND_CODE: Readonly<Record<LedgerEntryKind, number>> = {
  deposit: 0,
  withdrawal: 1,
  trade: 2,
  fee: 3,
  funding: 4,
  'realized-pnl': 5,
};

/** The largest magnitude at which every integer is exact in a float64 (2^53). */
const EXACT_LIMIT = Number.MAX_SAFE_INTEGER;

interface Balance {
  units: number;
  value: number;
  scale: number;
}

/**
 * A cash ledger per currency. Every amount is rounded once to the currency's minor unit (8 decimals by
 * default) and kept as an integer count of minor units. Integers below 2^53 add exactly in a float64, so a
 * balance is exactly the sum of its entries after any number of postings: no drift to reconcile away,
 * and no BigInt on the fill path (measured: BigInt made each fill ~3x slower). A balance that would pass
 * 2^53 minor units (90 million units of a currency at 8 decimals) is refused with LEDGER_OVERFLOW, which
 * says to give that currency fewer decimals.
 */
export class CashLedger {
  private readonly decimals = new Map<string, number>();
  private readonly scales = new Map<string, number>();
  private readonly balances = new Map<string, Balance>();
  /** The balance posted to last: consecutive postings are nearly always in the same currency. */
  private lastCurrency = '';
  private lastBalance: Balance | undefined = undefined;
  // Entries are stored column-wise: no object per posting on the fill path (see `entries`).
  /**
   * Per entry: ts, units, kind code, currency index, numbered ref (NaN when the ref is a string, kept in
   * `textRefs`). No pointer per entry: the hot path (a fill's postings) stores numbers only.
   */
  private readonly rows = new RowStore(5);
  private readonly currencyList = new StringTable();
  private readonly textRefs = new Map<number, string>();
  /** Spells a numbered ref (a fill number) when an entry is read; set by whoever posts numbered refs. */
  spellRef: (n: number) => string = (n) => String(n);
  /** Keep every entry (audits, tests); a long paper-trading run may turn this off and persist instead. */
  keepEntries = true;
  private seq = 0;
  private readonly defaultDecimals: number;

  constructor(currencyDecimals: Record<string, number> = {}, defaultDecimals = 8) {
    this.defaultDecimals = defaultDecimals;
    for (const [c, d] of Object.entries(currencyDecimals)) this.setDecimals(c, d);
  }

  setDecimals(currency: string, decimals: number): void {
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12)
      throw invalid(`ledger.decimals.${currency}`, decimals, 'must be an integer between 0 and 12');
    if (this.balances.has(currency))
      throw invalid(
        `ledger.decimals.${currency}`,
        decimals,
        'must be set before the first posting in that currency',
      );
    this.decimals.set(currency, decimals);
    this.scales.set(currency, 10 ** decimals);
  }

  decimalsOf(currency: string): number {
    return this.decimals.get(currency) ?? this.defaultDecimals;
  }

  private scaleOf(currency: string): number {
    return this.scales.get(currency) ?? 10 ** this.defaultDecimals;
  }

  /** Rounds a float amount to the currency's minor unit, half away from zero. */
  toUnits(currency: string, amount: number): number {
    if (!Number.isFinite(amount)) throw invalid(`ledger.amount.${currency}`, amount, 'must be finite');
    const u = Math.round(Math.abs(amount) * this.scaleOf(currency));
    if (u > EXACT_LIMIT) throw this.overflow(currency, amount);
    return amount < 0 ? -u : u;
  }

  fromUnits(currency: string, units: number): number {
    return units / this.scaleOf(currency);
  }

  /** Books `amount` (positive = cash in) and returns the exact units booked. */
  post(
    ts: UnixMicros,
    currency: string,
    kind: LedgerEntryKind,
    amount: number,
    ref: string | number,
  ): number {
    let b = this.lastBalance;
    if (b === undefined || currency !== this.lastCurrency) {
      b = this.balances.get(currency);
      if (!b) this.balances.set(currency, (b = { units: 0, value: 0, scale: this.scaleOf(currency) }));
      this.lastCurrency = currency;
      this.lastBalance = b;
    }
    if (!Number.isFinite(amount)) throw invalid(`ledger.amount.${currency}`, amount, 'must be finite');
    const u = Math.round(Math.abs(amount) * b.scale);
    if (u > EXACT_LIMIT) throw this.overflow(currency, amount);
    const units = amount < 0 ? -u : u;
    const next = b.units + units;
    if (Math.abs(next) > EXACT_LIMIT) throw this.overflow(currency, amount);
    b.units = next;
    b.value = next / b.scale;
    if (this.keepEntries) this.record(ts, currency, kind, units, ref);
    this.seq++;
    return units;
  }

  private record(
    ts: UnixMicros,
    currency: string,
    kind: LedgerEntryKind,
    units: number,
    ref: string | number,
  ): void {
    const i = this.rows.length;
    const c = this.rows.append();
    const o = this.rows.at;
    c[o] = ts;
    c[o + 1] = units;
    c[o + 2] = kindCode(kind);
    c[o + 3] = this.currencyList.intern(currency);
    if (typeof ref === 'number') c[o + 4] = ref;
    else {
      c[o + 4] = Number.NaN;
      this.textRefs.set(i, ref);
    }
  }

  /** Number of kept entries. */
  get entryCount(): number {
    return this.rows.length;
  }

  /** Kept entry `i` as an object (built on demand). */
  entry(i: number): LedgerEntry {
    const n = this.rows.length;
    if (!(i >= 0 && i < n)) throw invalid('ledger.entry', i, `must be in [0, ${n})`);
    const c = this.rows.chunk(i);
    const o = this.rows.offset(i);
    const refNo = c[o + 4]!;
    return {
      seq: i,
      ts: c[o]!,
      currency: this.currencyList.at(c[o + 3]!),
      kind: KINDS[c[o + 2]!]!,
      units: c[o + 1]!,
      ref: refNo === refNo ? this.spellRef(refNo) : this.textRefs.get(i)!,
    };
  }

  /** Every kept entry as objects (for audits, exports and tests; allocates). */
  get entries(): LedgerEntry[] {
    const out: LedgerEntry[] = [];
    for (let i = 0; i < this.rows.length; i++) out.push(this.entry(i));
    return out;
  }

  balance(currency: string): number {
    if (currency === this.lastCurrency) return this.lastBalance!.value;
    return this.balances.get(currency)?.value ?? 0;
  }

  balanceUnits(currency: string): number {
    return this.balances.get(currency)?.units ?? 0;
  }

  currencies(): string[] {
    return [...this.balances.keys()];
  }

  /** Sum of the kept entries of a currency (optionally of some kinds), in exact units. */
  sumUnits(currency: string, kinds?: readonly LedgerEntryKind[]): number {
    let s = 0;
    const k = this.currencyList.find(currency);
    if (k < 0) return 0;
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) {
      const c = rows.chunk(i);
      const o = rows.offset(i);
      if (c[o + 3] === k && (!kinds || kinds.includes(KINDS[c[o + 2]!]!))) s += c[o + 1]!;
    }
    return s;
  }

  private overflow(currency: string, amount: number): TickerError {
    return new TickerError(
      'LEDGER_OVERFLOW',
      `ledger: ${currency} balance would exceed 2^53 minor units at ${this.decimalsOf(currency)} decimals (posting ${amount}); ` +
        `configure fewer decimals for ${currency} (currencyDecimals)`,
      { field: `ledger.${currency}`, value: amount },
    );
  }
}
