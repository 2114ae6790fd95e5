import { invalid } from '../model/index.js';
import { type Stats, computeStats, drawdowns } from '../portfolio/stats.js';
import type { BacktestResult } from './backtest.js';

/**
 * One strategy's sleeve of a multi-strategy backtest: its own account holding `cash` (= allocation ×
 * the total), run over the same bars as the others.
 *
 * Why sleeves and not one shared account: the kernel's portfolio nets positions per instrument, and the
 * built-in strategies read `ctx.position()` and call `closePosition()`, so two of them on one instrument
 * in one account would close each other's trades and size off each other's equity. The StrategyManager
 * does give capital shares, but only to signals; strategies that send their own orders see the whole
 * equity (docs/STRATEGIES.md). A sleeve is the manager's allocation enforced for order-sending
 * strategies: in a bar backtest our orders do not move the bars, so the combined account equals the sum
 * of the sleeves exactly (cash and positions add), and each sleeve's P&L is its own without any
 * attribution rule.
 */
export interface Sleeve {
  readonly id: string;
  readonly allocation: number;
  readonly cash: number;
  readonly result: BacktestResult;
}

/** What one strategy contributed to the combined run. */
export interface SleeveAttribution {
  readonly id: string;
  readonly allocation: number;
  readonly startingCash: number;
  readonly finalEquity: number;
  /** finalEquity − startingCash: realized and unrealized P&L net of fees. */
  readonly pnl: number;
  /** pnl / the sleeve's cash, percent. */
  readonly returnPct: number;
  /** pnl / the total starting cash, percent: the sleeves' contributions add up to the combined return. */
  readonly contributionPct: number;
  readonly fees: number;
  readonly trades: number;
  readonly fills: number;
  readonly winRatePct: number;
  readonly maxDrawdownPct: number;
  /** The sleeve's own statistics on its own capital (backtesting.py names). */
  readonly stats: Stats;
}

/**
 * The combined account, shaped as a single run's result: `trades` are every sleeve's closed trades by exit
 * then entry time and `fills` every sleeve's fills by time (ties in sleeve order).
 */
export interface CombinedRun extends Pick<
  BacktestResult,
  'stats' | 'ts' | 'equity' | 'trades' | 'fills' | 'riskEvents' | 'benchmark' | 'warmup'
> {
  readonly attribution: readonly SleeveAttribution[];
  /** Cash no sleeve was given (total − Σ sleeve cash); it stays cash in the combined equity. */
  readonly unallocatedCash: number;
}

/**
 * Adds the sleeves into one account: equity step by step (plus the unallocated cash), trades and fills
 * merged, statistics computed on the sum as for a single run (the Buy & Hold benchmark starts at the
 * earliest warm-up, from which some sleeve could act). A sleeve that stopped early (broke) keeps its
 * last equity.
 */
export function combineSleeves(
  sleeves: readonly Sleeve[],
  opts: { readonly totalCash: number; readonly tradesNetOfFees?: boolean },
): CombinedRun {
  if (sleeves.length === 0) throw invalid('sleeves', 0, 'needs at least one sleeve');
  const longest = sleeves.reduce((a, s) => (s.result.ts.length > a.result.ts.length ? s : a));
  const ts = longest.result.ts;
  const n = ts.length;
  const allocated = sleeves.reduce((a, s) => a + s.cash, 0);
  const unallocatedCash = opts.totalCash - allocated;
  if (unallocatedCash < -1e-9 * opts.totalCash)
    throw invalid('sleeves.cash', allocated, `sleeves hold more than the total cash ${opts.totalCash}`);
  const equity = new Float64Array(n).fill(Math.max(0, unallocatedCash));
  for (const s of sleeves) {
    const r = s.result;
    for (let i = 0; i < r.ts.length; i++)
      if (r.ts[i] !== ts[i])
        throw invalid(`sleeve ${s.id}.ts[${i}]`, r.ts[i], `must be ${ts[i]} (same bars)`);
    const m = r.equity.length;
    for (let i = 0; i < n; i++) equity[i]! += i < m ? r.equity[i]! : m ? r.equity[m - 1]! : s.cash;
  }
  const trades = sleeves
    .flatMap((s) => s.result.trades)
    .sort((a, b) => a.exitTs - b.exitTs || a.entryTs - b.entryTs);
  const fills = sleeves.flatMap((s) => s.result.fills).sort((a, b) => a.ts - b.ts);
  const riskEvents = sleeves.flatMap((s) => s.result.riskEvents);
  const benchmark = longest.result.benchmark;
  const warmup = Math.min(...sleeves.map((s) => s.result.warmup));
  const stats = computeStats({
    ts,
    equity,
    trades,
    benchmark,
    warmup,
    tradesNetOfFees: opts.tradesNetOfFees ?? true,
  });
  const attribution = sleeves.map((s): SleeveAttribution => {
    const r = s.result;
    const final = r.equity.length ? r.equity[r.equity.length - 1]! : s.cash;
    const pnl = final - s.cash;
    const wins = r.trades.filter((t) => t.pnl > 0).length;
    const dd = drawdowns(r.equity);
    let maxDd = 0;
    for (const d of dd) if (d > maxDd) maxDd = d;
    return {
      id: s.id,
      allocation: s.allocation,
      startingCash: s.cash,
      finalEquity: final,
      pnl,
      returnPct: (pnl / s.cash) * 100,
      contributionPct: (pnl / opts.totalCash) * 100,
      fees: r.fills.reduce((a, f) => a + f.fee, 0),
      trades: r.trades.length,
      fills: r.fills.length,
      winRatePct: r.trades.length ? (wins / r.trades.length) * 100 : Number.NaN,
      maxDrawdownPct: -maxDd * 100,
      stats: r.stats,
    };
  });
  return {
    stats,
    ts,
    equity,
    trades,
    fills,
    riskEvents,
    benchmark,
    warmup,
    attribution,
    unallocatedCash,
  };
}
