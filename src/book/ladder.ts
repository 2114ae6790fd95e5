/**
 * One side of an L2 book: price levels in a sorted typed array with the best level LAST.
 *
 * Why this layout: almost every venue update touches the top few levels, and inserting or removing near
 * the end of a sorted array moves only the levels behind it (a short `copyWithin`). The search gallops
 * from the end for the same reason, so an update at the touch costs a couple of comparisons whatever the
 * depth. Keys are `price * dir` (dir = +1 for bids, -1 for asks) so both sides sort ascending with the
 * best at the end; negation is exact in float64, so a price read back is the price written.
 */
export class Ladder {
  /** +1 for bids (best = highest price), -1 for asks (best = lowest). */
  readonly dir: 1 | -1;
  keys: Float64Array;
  sizes: Float64Array;
  /** Number of levels. */
  n = 0;

  constructor(dir: 1 | -1, capacity = 64) {
    this.dir = dir;
    this.keys = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** Index of the first key >= `key` (n when none), galloping from the best end. */
  lowerBound(key: number): number {
    const keys = this.keys;
    const n = this.n;
    // Gallop: find a window [lo, hi) ending at the top that contains the answer.
    let hi = n;
    let step = 1;
    let lo = n - 1;
    while (lo >= 0 && keys[lo]! >= key) {
      hi = lo;
      lo = n - 1 - (step *= 2);
    }
    if (lo < 0) lo = -1;
    // Invariant: keys[lo] < key (or lo = -1), keys[hi] >= key (or hi = n).
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! >= key) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Sets the level at `price` to `size` (0 removes it); returns the size it had before (0 if none). */
  set(price: number, size: number): number {
    const key = price * this.dir;
    const i = this.lowerBound(key);
    const n = this.n;
    if (i < n && this.keys[i] === key) {
      const prev = this.sizes[i]!;
      if (size > 0) this.sizes[i] = size;
      else {
        // Remove: shift the better levels down by one.
        if (i < n - 1) {
          this.keys.copyWithin(i, i + 1, n);
          this.sizes.copyWithin(i, i + 1, n);
        }
        this.n = n - 1;
      }
      return prev;
    }
    if (size <= 0) return 0;
    if (n === this.keys.length) this.grow(n * 2);
    if (i < n) {
      this.keys.copyWithin(i + 1, i, n);
      this.sizes.copyWithin(i + 1, i, n);
    }
    this.keys[i] = key;
    this.sizes[i] = size;
    this.n = n + 1;
    return 0;
  }

  sizeAt(price: number): number {
    const key = price * this.dir;
    const i = this.lowerBound(key);
    return i < this.n && this.keys[i] === key ? this.sizes[i]! : 0;
  }

  /** Price of the k-th best level (0 = best), NaN when there are not that many. */
  priceAt(k: number): number {
    const i = this.n - 1 - k;
    return i >= 0 && k >= 0 ? this.keys[i]! * this.dir : Number.NaN;
  }

  sizeAtLevel(k: number): number {
    const i = this.n - 1 - k;
    return i >= 0 && k >= 0 ? this.sizes[i]! : 0;
  }

  clear(): void {
    this.n = 0;
  }

  private grow(cap: number): void {
    const k = new Float64Array(cap);
    k.set(this.keys.subarray(0, this.n));
    const s = new Float64Array(cap);
    s.set(this.sizes.subarray(0, this.n));
    this.keys = k;
    this.sizes = s;
  }
}
