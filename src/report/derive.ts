import { aggregateReturns, rollingSharpe } from '../portfolio/analytics.js';
import { annualization } from '../portfolio/stats.js';
import { bucketOf } from '../portfolio/timeseries.js';
import type { MonthlyGrid } from './grid-charts.js';
import type { RunRecord } from './run-record.js';

/** The series a report draws, derived from a run record. */
export interface ReportSeries {
  readonly ts: readonly number[];
  readonly equity: readonly number[];
  /** Buy and hold of the benchmark, scaled to the starting equity (NaN without a benchmark). */
  readonly buyHold: readonly number[];
  /** Drawdown from the running peak, ≤ 0 (a fraction). */
  readonly drawdown: readonly number[];
  /** Returns per period (daily for daily and intraday bars), with the timestamp each ends at. */
  readonly periodTs: readonly number[];
  readonly periodReturns: readonly number[];
  readonly periodName: string;
  readonly periodsPerYear: number;
  readonly rollingWindow: number;
  /** Rolling Sharpe at the end of each period (NaN until the window fills). */
  readonly rollingSharpe: readonly number[];
  readonly monthly: MonthlyGrid;
}

const PERIOD_NAMES = { D: 'daily', W: 'weekly', ME: 'monthly', YE: 'yearly' } as const;

export function deriveSeries(r: RunRecord): ReportSeries {
  const ts = r.equity.ts;
  const equity = r.equity.values;
  const n = ts.length;
  const closes = r.benchmark?.closes;
  const c0 = closes?.find(Number.isFinite);
  const e0 = equity[0] ?? Number.NaN;
  const buyHold = ts.map((_, i) => (closes && c0 ? (closes[i]! / c0) * e0 : Number.NaN));
  const drawdown: number[] = [];
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    if (equity[i]! > peak) peak = equity[i]!;
    drawdown.push(peak > 0 ? equity[i]! / peak - 1 : 0);
  }
  const { periodsPerYear, rule } = n > 1 ? annualization(ts) : { periodsPerYear: 252, rule: 'D' as const };
  // Last equity per calendar period; the first step opens the first period.
  const pTs: number[] = [];
  const pEq: number[] = [];
  let key = Number.NaN;
  for (let i = 0; i < n; i++) {
    const k = bucketOf(ts[i]!, rule);
    if (k === key && pEq.length) {
      pTs[pTs.length - 1] = ts[i]!;
      pEq[pEq.length - 1] = equity[i]!;
    } else {
      pTs.push(ts[i]!);
      pEq.push(equity[i]!);
      key = k;
    }
  }
  const periodTs = pTs.slice(1);
  const periodReturns = periodTs.map((_, i) => pEq[i + 1]! / pEq[i]! - 1);
  const rollingWindow = Math.max(
    5,
    Math.min(Math.round(periodsPerYear / 2), Math.floor(periodReturns.length / 4)),
  );
  return {
    ts,
    equity,
    buyHold,
    drawdown,
    periodTs,
    periodReturns,
    periodName: PERIOD_NAMES[rule],
    periodsPerYear,
    rollingWindow,
    rollingSharpe: rollingSharpe(periodReturns, rollingWindow, periodsPerYear),
    monthly: monthlyGrid(ts, equity),
  };
}

/** Compounded returns per calendar month (UTC) in a years × months grid, with yearly totals. */
export function monthlyGrid(ts: readonly number[], equity: readonly number[]): MonthlyGrid {
  if (ts.length < 2) return { years: [], cells: [], yearTotals: [] };
  const stepTs = ts.slice(1);
  const r = stepTs.map((_, i) => equity[i + 1]! / equity[i]! - 1);
  const months = aggregateReturns(stepTs, r, 'monthly');
  const years = aggregateReturns(stepTs, r, 'yearly');
  const first = Number(years[0]!.period);
  const last = Number(years[years.length - 1]!.period);
  const list = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const cells = list.map(() => new Array<number>(12).fill(Number.NaN));
  for (const m of months) {
    const [y, mm] = m.period.split('-').map(Number) as [number, number];
    cells[y - first]![mm - 1] = m.return;
  }
  const totals = new Map(years.map((y) => [Number(y.period), y.return]));
  return { years: list, cells, yearTotals: list.map((y) => totals.get(y) ?? Number.NaN) };
}
