/**
 * Strings stored as small integers: a column of numbers keeps the index, the table the string. Few
 * distinct values (currencies), many rows; consecutive rows nearly always repeat the last string, so that
 * is one compare. How the fill log and the cash ledger keep their currencies.
 */
export class StringTable {
  private readonly values: string[] = [];
  private last = '';
  private lastIdx = -1;

  /** The index of `s`, added if new. */
  intern(s: string): number {
    if (s === this.last) return this.lastIdx;
    let k = this.values.indexOf(s);
    if (k < 0) k = this.values.push(s) - 1;
    this.last = s;
    this.lastIdx = k;
    return k;
  }

  /** The index of `s`, or -1 if it was never interned. */
  find(s: string): number {
    return this.values.indexOf(s);
  }

  /** The string at index `k`. */
  at(k: number): string {
    return this.values[k]!;
  }
}
