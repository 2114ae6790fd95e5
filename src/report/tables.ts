import type { RiskEventJson, RunRecord, TradeJson } from './run-record.js';
import { esc, fmtNum, isoDay } from './svg.js';

/** A statistic as the CLI table prints it: strings as they are, counts whole, other numbers to 2 decimals. */
export function formatStat(key: string, v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  if (key.startsWith('#') && Number.isInteger(v)) return String(v);
  return v.toLocaleString('en-US', {
    minimumFractionDigits: key === 'Kelly Criterion' ? 4 : 2,
    maximumFractionDigits: key === 'Kelly Criterion' ? 4 : 2,
  });
}

/** The statistics in two columns of name/value rows. */
export function statsTable(stats: RunRecord['stats']): string {
  const rows = Object.entries(stats).map(
    ([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(formatStat(k, v))}</td></tr>`,
  );
  const half = Math.ceil(rows.length / 2);
  return (
    `<div class="stats"><table class="kv">${rows.slice(0, half).join('')}</table>` +
    `<table class="kv">${rows.slice(half).join('')}</table></div>`
  );
}

const sign = (x: number) => (x > 0 ? 'pos' : x < 0 ? 'neg' : '');

/** Every closed trade, one row each, P&L and return colored by sign. */
export function tradesTable(trades: readonly TradeJson[]): string {
  if (trades.length === 0) return '<p class="note">No closed trades.</p>';
  const multi = new Set(trades.map((t) => t.Instrument)).size > 1;
  // Daily bars: every time is midnight, so the date says it all.
  const midnight = trades.every((t) => t.EntryTime.endsWith(' 00:00:00') && t.ExitTime.endsWith(' 00:00:00'));
  const time = (s: string) => esc(midnight ? s.slice(0, -9) : s);
  const head = [
    '#',
    ...(multi ? ['Instrument'] : []),
    'Side',
    'Size',
    'Entry time',
    'Entry price',
    'Exit time',
    'Exit price',
    'Bars',
    'P&L',
    'Return',
    'Fees',
    'Tag',
  ];
  const rows = trades.map((t, i) => {
    const cells = [
      `<td>${i + 1}</td>`,
      ...(multi ? [`<td>${esc(t.Instrument)}</td>`] : []),
      `<td>${t.Size > 0 ? 'long' : 'short'}</td>`,
      `<td>${esc(fmtNum(Math.abs(t.Size), 8))}</td>`,
      `<td>${time(t.EntryTime)}</td>`,
      `<td>${esc(fmtNum(t.EntryPrice, 4))}</td>`,
      `<td>${time(t.ExitTime)}</td>`,
      `<td>${esc(fmtNum(t.ExitPrice, 4))}</td>`,
      `<td>${t.ExitBar - t.EntryBar}</td>`,
      `<td class="${sign(t.PnL)}">${esc(fmtNum(t.PnL))}</td>`,
      `<td class="${sign(t.ReturnPct)}">${esc((t.ReturnPct * 100).toFixed(2))}%</td>`,
      `<td>${esc(fmtNum(t.Commission))}</td>`,
      `<td>${esc(t.Tag ?? '')}</td>`,
    ];
    return `<tr class="trade">${cells.join('')}</tr>`;
  });
  return table('trades', head, rows);
}

/** Every risk event: what tripped, when, on which instrument, and the numbers. */
export function riskEventsTable(events: readonly RiskEventJson[]): string {
  if (events.length === 0)
    return '<p class="note">No risk events: no circuit breaker tripped, no engine-managed exit filled, no pause.</p>';
  const num = (x: number | null | undefined) => (x === undefined || x === null ? '' : fmtNum(x, 4));
  const rows = events.map(
    (e) =>
      `<tr class="risk-event"><td>${esc(isoDay(e.ts))}</td><td>${e.step}</td><td class="l"><span class="tag ${esc(e.kind)}">${esc(e.kind)}</span></td>` +
      `<td class="l">${esc(e.instrumentId ?? '')}</td><td class="msg">${esc(e.message)}</td><td>${esc(num(e.limit))}</td><td>${esc(num(e.actual))}</td></tr>`,
  );
  return table(
    'risk',
    ['Date', 'Step', 'Kind', 'Instrument', 'What happened', 'Limit', 'Actual'],
    rows,
    [2, 3, 4],
  );
}

/** `left`: indices of the columns whose text reads left to right (names, messages). */
function table(
  cls: string,
  head: readonly string[],
  rows: readonly string[],
  left: readonly number[] = [],
): string {
  const th = head.map((h, i) => `<th${left.includes(i) ? ' class="l"' : ''}>${esc(h)}</th>`).join('');
  return (
    `<div class="scroll"><table class="${cls}"><thead><tr>${th}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}
