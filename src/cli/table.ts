/** A plain aligned text table for stdout: first column left-aligned, the rest right-aligned. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** A fraction as a percentage with 2 decimals ("12.34%"); NaN as "NaN". */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'NaN';
}

export function dec(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : Number.isNaN(x) ? 'NaN' : x > 0 ? 'inf' : '-inf';
}
