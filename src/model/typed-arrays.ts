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
