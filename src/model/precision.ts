/**
 * Rounding to instrument increments. Prices and sizes are float64 on the hot path, always snapped to the
 * increment through its decimal count so that 0.1 + 0.2 style residue never accumulates
 * (docs/ARCHITECTURE.md, "Money and quantity").
 */
export function decimalsOf(increment: number): number {
  if (!(increment > 0)) return 0;
  const s = increment.toString();
  const e = s.indexOf('e-');
  if (e >= 0) {
    const mantissa = s.slice(0, e);
    const dot = mantissa.indexOf('.');
    return Number(s.slice(e + 2)) + (dot >= 0 ? mantissa.length - dot - 1 : 0);
  }
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

const POW10: number[] = [];
for (let i = 0; i <= 20; i++) POW10.push(10 ** i);

/** Rounds `x` to `decimals` places, half away from zero, without string round-trips. */
export function roundTo(x: number, decimals: number): number {
  const p = POW10[decimals] ?? 10 ** decimals;
  const y = Math.round(Math.abs(x) * p) / p;
  return x < 0 ? -y : y;
}

/** Snaps `x` to a multiple of `increment` ('nearest' | 'down' toward zero | 'up' away from zero). */
export function snap(
  x: number,
  increment: number,
  decimals: number,
  mode: 'nearest' | 'down' | 'up' = 'nearest',
): number {
  const units = x / increment;
  // Guard against float noise such as 2.9999999999999996 units before floor/ceil.
  const r = Math.round(units);
  const n =
    Math.abs(units - r) < 1e-9
      ? r
      : mode === 'down'
        ? Math.trunc(units)
        : mode === 'up'
          ? units < 0
            ? Math.floor(units)
            : Math.ceil(units)
          : r;
  return roundTo(n * increment, decimals);
}
