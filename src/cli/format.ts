import type { Stats } from '../portfolio/stats.js';

/** Formats statistics as the aligned two-column table backtesting.py users know. */
export function statsTable(stats: Stats): string {
  const keys = Object.keys(stats);
  const width = Math.max(...keys.map((k) => k.length)) + 2;
  const lines: string[] = [];
  for (const k of keys) {
    const v = stats[k]!;
    let s: string;
    if (typeof v === 'string') s = v;
    else if (!Number.isFinite(v)) s = Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
    else if (Number.isInteger(v) && k.startsWith('#')) s = String(v);
    else s = v.toFixed(Math.abs(v) >= 1000 ? 2 : k === 'Kelly Criterion' ? 4 : 2);
    lines.push(k.padEnd(width) + s.padStart(22));
  }
  return lines.join('\n');
}
