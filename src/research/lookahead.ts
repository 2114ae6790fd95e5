import { BacktestEngine } from '../engine/backtest.js';
import { type BarSeries, type Order, defaultInstrument, invalid } from '../model/index.js';
import type { Strategy } from '../strategy/strategy.js';
import { sliceBars } from './bar-window.js';
import type { TrialConfig } from './trial.js';

export interface LookaheadOptions {
  readonly bars: BarSeries;
  /** Builds a fresh strategy for the bars it will run on (a leaky strategy precomputes from them). */
  readonly strategy: (bars: BarSeries) => Strategy<object>;
  readonly config?: TrialConfig;
  /** Number of truncation points, spread evenly over the second half of the bars by default (default 8). */
  readonly cuts?: number;
  /** Explicit truncation points (bar counts kept), instead of `cuts`. */
  readonly at?: readonly number[];
}

/** One order as the strategy decided it: what is compared between the full and the truncated run. */
export interface OrderDecision {
  readonly ts: number;
  readonly side: string;
  readonly type: string;
  readonly tag: string | undefined;
  readonly price: number | undefined;
  readonly sizingFraction: number | undefined;
  /** The quantity when the order is not sized at fill time. */
  readonly quantity: number | undefined;
}

export interface LookaheadCut {
  /** Bars kept: the run saw bars [0, keep). */
  readonly keep: number;
  /** Decisions that differ: present in one run and not in the other, up to the last kept bar. */
  readonly onlyInFull: readonly OrderDecision[];
  readonly onlyInTruncated: readonly OrderDecision[];
}

export interface LookaheadReport {
  readonly clean: boolean;
  readonly cuts: readonly LookaheadCut[];
  /** The first cut that changed a decision, for the error message. */
  readonly firstLeak?: LookaheadCut;
}

/**
 * The lookahead guard (what freqtrade's lookahead-analysis checks): the strategy runs on all bars and on
 * the bars truncated at several points; a strategy that only uses the past must make exactly the same
 * decisions up to each truncation point. Any order that appears, disappears or changes when later bars are
 * removed was decided with data from the future.
 */
export function lookaheadCheck(o: LookaheadOptions): LookaheadReport {
  const n = o.bars.length;
  const at = o.at ?? evenCuts(n, o.cuts ?? 8);
  for (const k of at)
    if (!Number.isInteger(k) || k < 2 || k > n)
      throw invalid('at', k, `truncation points must be integers in [2, ${n}]`);
  const full = decisions(o, o.bars);
  const cuts = at.map((keep) => {
    const last = o.bars.ts[keep - 1]!;
    const a = full.filter((d) => d.ts <= last).map(key);
    const b = decisions(o, sliceBars(o.bars, 0, keep)).map(key);
    const inB = new Set(b);
    const inA = new Set(a);
    return {
      keep,
      onlyInFull: a.filter((k) => !inB.has(k)).map((k) => JSON.parse(k) as OrderDecision),
      onlyInTruncated: b.filter((k) => !inA.has(k)).map((k) => JSON.parse(k) as OrderDecision),
    };
  });
  const firstLeak = cuts.find((c) => c.onlyInFull.length + c.onlyInTruncated.length > 0);
  return { clean: firstLeak === undefined, cuts, ...(firstLeak ? { firstLeak } : {}) };
}

function decisions(o: LookaheadOptions, bars: BarSeries): OrderDecision[] {
  const e = new BacktestEngine({ commission: 0, ...o.config, stats: false, finalize: 'none' });
  e.addInstrument(defaultInstrument(bars.instrumentId), bars).addStrategy(o.strategy(bars));
  return e.run().orders.map(decision);
}

function decision(x: Order): OrderDecision {
  return {
    ts: x.createdAt,
    side: x.side,
    type: x.type,
    tag: x.tag,
    price: x.price,
    sizingFraction: x.sizingFraction,
    quantity: x.sizingFraction === undefined ? x.quantity : undefined,
  };
}

function key(d: OrderDecision): string {
  return JSON.stringify(d);
}

function evenCuts(n: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw invalid('cuts', count, 'must be a positive integer');
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.max(2, Math.round(n / 2 + ((i + 1) * (n / 2)) / (count + 1))));
  return [...out];
}
