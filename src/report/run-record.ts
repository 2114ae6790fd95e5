import { z } from 'zod';
import type { BacktestResult } from '../engine/backtest.js';
import { type BarSeries, TickerError } from '../model/index.js';
import { statsToJson } from '../portfolio/stats.js';
import { isoDate } from '../portfolio/timeseries.js';
import type { ClosedTrade } from '../portfolio/trades.js';

/** A trade as `tickerml backtest --json` writes it (backtesting.py's column names). */
export interface TradeJson {
  readonly Size: number;
  readonly EntryBar: number;
  readonly ExitBar: number;
  readonly EntryPrice: number;
  readonly ExitPrice: number;
  readonly PnL: number;
  readonly Commission: number;
  /** A fraction: 0.05 = 5%. */
  readonly ReturnPct: number;
  readonly EntryTime: string;
  readonly ExitTime: string;
  readonly Instrument: string;
  readonly Tag?: string | undefined;
}

export interface RiskEventJson {
  readonly kind: string;
  /** µs since the epoch, UTC. */
  readonly ts: number;
  readonly step: number;
  readonly instrumentId?: string | undefined;
  readonly message: string;
  readonly limit?: number | null | undefined;
  readonly actual?: number | null | undefined;
}

export const RUN_RECORD_FORMAT = 'tickerml.run/1';

/**
 * Everything a report needs from one backtest, as JSON (`tickerml backtest --save-run FILE.json`): the
 * `--json` output (`stats`, `trades`) extended with the equity curve, the benchmark's closes, the
 * exposure, the risk events and the run's configuration. Timestamps are µs since the epoch (UTC).
 */
export interface RunRecord {
  readonly format: typeof RUN_RECORD_FORMAT;
  readonly strategy: { readonly name: string; readonly params: Readonly<Record<string, unknown>> };
  /** The data files (or instrument ids) the run read. */
  readonly data: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  /** backtesting.py's statistic names; NaN and ±∞ are null. */
  readonly stats: Readonly<Record<string, number | string | null>>;
  readonly trades: readonly TradeJson[];
  readonly equity: { readonly ts: readonly number[]; readonly values: readonly number[] };
  /** The first instrument's close at each step (buy and hold), or null when unknown. */
  readonly benchmark: { readonly instrumentId: string; readonly closes: readonly number[] } | null;
  /** Position value ÷ equity at each step's close: net (long − short) and gross (long + short). */
  readonly exposure: { readonly net: readonly number[]; readonly gross: readonly number[] };
  readonly riskEvents: readonly RiskEventJson[];
}

/**
 * Trades as `--json` writes them. In backtesting.py compat mode P&L is gross of fees and the return is
 * the price move, as backtesting.py prints them.
 */
export function tradesToJson(trades: readonly ClosedTrade[], compat = false): TradeJson[] {
  return trades.map((t) => ({
    Size: t.size,
    EntryBar: t.entryBar,
    ExitBar: t.exitBar,
    EntryPrice: t.entryPrice,
    ExitPrice: t.exitPrice,
    PnL: compat ? t.pnl + t.fees : t.pnl,
    Commission: t.fees,
    ReturnPct: compat ? Math.sign(t.size) * (t.exitPrice / t.entryPrice - 1) : t.returnPct,
    EntryTime: isoDate(t.entryTs),
    ExitTime: isoDate(t.exitTs),
    Instrument: t.instrumentId,
    ...(t.tag !== undefined ? { Tag: t.tag } : {}),
  }));
}

export interface RunMeta {
  readonly strategy: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Data file names; default: the series' instrument ids. */
  readonly data?: readonly string[];
  readonly config?: Readonly<Record<string, unknown>>;
  readonly compat?: boolean;
}

/** Builds the record of a finished backtest; `series` are the bars it ran on (the first is the benchmark). */
export function runRecordFromBacktest(
  result: BacktestResult,
  series: readonly BarSeries[],
  meta: RunMeta,
): RunRecord {
  const ts = Array.from(result.ts);
  const closes = series.map((s) => alignCloses(s, result.ts));
  const multipliers = series.map((s) => result.kernel.instrument(s.instrumentId).multiplier);
  return {
    format: RUN_RECORD_FORMAT,
    strategy: { name: meta.strategy, params: { ...meta.params } },
    data: [...(meta.data ?? series.map((s) => s.instrumentId))],
    config: { ...(meta.config ?? {}) },
    stats: statsToJson(result.stats),
    trades: tradesToJson(result.trades, meta.compat ?? false),
    equity: { ts, values: Array.from(result.equity) },
    benchmark: series.length ? { instrumentId: series[0]!.instrumentId, closes: closes[0]! } : null,
    exposure: exposureOf(result, series, closes, multipliers),
    riskEvents: result.riskEvents.map((e) => ({ ...e })),
  };
}

/** The series' last close at or before each timestamp (its first close before it starts). */
function alignCloses(s: BarSeries, ts: ArrayLike<number>): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < ts.length; i++) {
    while (j + 1 < s.length && s.ts[j + 1]! <= ts[i]!) j++;
    out.push(s.close[j]!);
  }
  return out;
}

function exposureOf(
  r: BacktestResult,
  series: readonly BarSeries[],
  closes: readonly number[][],
  multipliers: readonly number[],
): RunRecord['exposure'] {
  const index = new Map(series.map((s, k) => [s.instrumentId as string, k]));
  const qty = new Float64Array(series.length);
  const net: number[] = [];
  const gross: number[] = [];
  let f = 0;
  for (let i = 0; i < r.ts.length; i++) {
    while (f < r.fills.length && r.fills[f]!.ts <= r.ts[i]!) {
      const fill = r.fills[f++]!;
      const k = index.get(fill.instrumentId);
      if (k !== undefined) qty[k]! += fill.side === 'buy' ? fill.quantity : -fill.quantity;
    }
    let n = 0;
    let g = 0;
    for (let k = 0; k < series.length; k++) {
      const v = qty[k]! * closes[k]![i]! * multipliers[k]!;
      n += v;
      g += Math.abs(v);
    }
    const e = r.equity[i]!;
    net.push(e > 0 ? n / e : 0);
    gross.push(e > 0 ? g / e : 0);
  }
  return { net, gross };
}

const finite = z.number().nullable();
const runRecordSchema = z.object({
  format: z.literal(RUN_RECORD_FORMAT),
  strategy: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()) }),
  data: z.array(z.string()),
  config: z.record(z.string(), z.unknown()),
  stats: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  trades: z.array(
    z.object({
      Size: z.number(),
      EntryBar: z.number(),
      ExitBar: z.number(),
      EntryPrice: z.number(),
      ExitPrice: z.number(),
      PnL: z.number(),
      Commission: z.number(),
      ReturnPct: z.number(),
      EntryTime: z.string(),
      ExitTime: z.string(),
      Instrument: z.string(),
      Tag: z.string().optional(),
    }),
  ),
  equity: z.object({ ts: z.array(z.number()), values: z.array(finite) }),
  benchmark: z.object({ instrumentId: z.string(), closes: z.array(finite) }).nullable(),
  exposure: z.object({ net: z.array(finite), gross: z.array(finite) }),
  riskEvents: z.array(
    z.object({
      kind: z.string(),
      ts: z.number(),
      step: z.number(),
      instrumentId: z.string().optional(),
      message: z.string(),
      limit: z.number().nullable().optional(),
      actual: z.number().nullable().optional(),
    }),
  ),
});

/** Validates parsed JSON as a RunRecord; a bad field throws naming its path. Nulls in series become NaN. */
export function parseRunRecord(json: unknown, source = 'run record'): RunRecord {
  const r = runRecordSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.join('.') || '(root)';
    throw new TickerError('BAD_RUN_RECORD', `${source}: ${path}: ${issue.message}`, { field: path });
  }
  const d = r.data;
  const n = d.equity.ts.length;
  for (const [name, xs] of [
    ['equity.values', d.equity.values],
    ['exposure.net', d.exposure.net],
    ['exposure.gross', d.exposure.gross],
    ...(d.benchmark ? [['benchmark.closes', d.benchmark.closes] as const] : []),
  ] as const)
    if (xs.length !== n)
      throw new TickerError('BAD_RUN_RECORD', `${source}: ${name} has ${xs.length} values, equity.ts ${n}`);
  const num = (xs: readonly (number | null)[]) => xs.map((x) => x ?? Number.NaN);
  return {
    ...d,
    equity: { ts: d.equity.ts, values: num(d.equity.values) },
    benchmark: d.benchmark
      ? { instrumentId: d.benchmark.instrumentId, closes: num(d.benchmark.closes) }
      : null,
    exposure: { net: num(d.exposure.net), gross: num(d.exposure.gross) },
  } as RunRecord;
}

/** The record as JSON text: NaN and ±∞ in the series are written as null. */
export function runRecordToJson(r: RunRecord): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}
