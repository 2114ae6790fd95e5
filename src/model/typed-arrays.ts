/** The typed arrays the kernel keeps its columns in. */
export type NumberColumn = Float64Array | Int32Array | Uint8Array;

/**
 * A copy of `a` with room for `length` elements, of the same type; the new slots hold `fill` (default 0).
 * How every growable column (ledger entries, fills, per-instrument risk state, parsed CSV columns) grows.
 */
export function resized<T extends NumberColumn>(a: T, length: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  if (fill !== 0 && length > a.length) b.fill(fill, a.length);
  return b;
}

/** Rows per chunk of a RowStore (a power of two: the chunk of row i is i >>> ROW_CHUNK_BITS). */
const ROW_CHUNK_BITS = 10;
const ROW_CHUNK = 1 << ROW_CHUNK_BITS;

/**
 * Append-only rows of `width` numbers, kept in chunks of 1024 rows. Appending never copies: a single
 * array that doubles when full copies everything at each doubling and touches about twice the memory it
 * keeps, and fresh memory is what a long backtest pays for most (docs/BENCHMARKS.md). How the fill log,
 * the closed trades and the ledger's entries keep their numbers.
 *
 * Write: `const c = rows.append(); c[rows.at] = …; c[rows.at + 1] = …`. Read: `rows.chunk(i)` at
 * `rows.offset(i)`.
 */
export class RowStore {
  readonly width: number;
  private readonly chunks: Float64Array[] = [];
  private cur: Float64Array = new Float64Array(0);
  private next = 0;
  private n = 0;
  /** Where the row last appended starts in the chunk append() returned. */
  at = 0;

  constructor(width: number) {
    this.width = width;
  }

  get length(): number {
    return this.n;
  }

  /** Makes room for one more row and returns its chunk; the row starts at `at`. */
  append(): Float64Array {
    if (this.next === this.cur.length) {
      this.cur = new Float64Array(ROW_CHUNK * this.width);
      this.chunks.push(this.cur);
      this.next = 0;
    }
    this.at = this.next;
    this.next += this.width;
    this.n++;
    return this.cur;
  }

  /** The chunk holding row `i` (i < length). */
  chunk(i: number): Float64Array {
    return this.chunks[i >>> ROW_CHUNK_BITS]!;
  }

  /** Where row `i` starts in its chunk. */
  offset(i: number): number {
    return (i & (ROW_CHUNK - 1)) * this.width;
  }
}

/**
 * An append-only list of object references in chunks of 1,024 (8 KB each). Growing never copies: a plain
 * array of tens of thousands of orders grows by reallocating and copying, each new store beyond 128 KB in
 * freshly mapped memory, and that was the most expensive line of submitting an order (docs/BENCHMARKS.md).
 * `toArray()` gives the items as one array, built on first call and extended on later ones (the same
 * array each time).
 */
export class ChunkedList<T> {
  private readonly chunks: T[][] = [];
  /** The chunk being filled (also the last of `chunks`), allocated at full size: stored into, never grown. */
  private cur: T[] = [];
  private at = ROW_CHUNK;
  private n = 0;
  private array: T[] | undefined = undefined;

  get length(): number {
    return this.n;
  }

  push(x: T): void {
    if (this.at === ROW_CHUNK) {
      this.cur = new Array<T>(ROW_CHUNK);
      this.chunks.push(this.cur);
      this.at = 0;
    }
    this.cur[this.at++] = x;
    this.n++;
  }

  /** Item `i` (i < length). */
  get(i: number): T {
    return this.chunks[i >>> ROW_CHUNK_BITS]![i & (ROW_CHUNK - 1)]!;
  }

  /** Every item in order, as one array (cached; items pushed since the last call are appended to it). */
  toArray(): T[] {
    const a = (this.array ??= []);
    for (let i = a.length; i < this.n; i++) a.push(this.get(i));
    return a;
  }
}
