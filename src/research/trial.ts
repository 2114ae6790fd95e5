import { BacktestEngine, type BacktestConfig } from '../engine/backtest.js';
import { type BarSeries, type InstrumentSpec, defaultInstrument, invalid } from '../model/index.js';
import { createStrategy } from '../strategies/index.js';
import { type BarWindow, checkWindow, sliceBars } from './bar-window.js';
import { type TrialMetrics, equityMetrics } from './metrics.js';
import type { Params } from './param-space.js';

/** The backtest settings of a research run: plain data, so they travel to worker threads and NATS workers. */
export type TrialConfig = Omit<BacktestConfig, 'logger' | 'stats'>;

/** What to backtest: a registered strategy on one instrument with a config. */
export interface BacktestSpec {
  readonly strategy: string;
  readonly config?: TrialConfig;
  /** Instrument overrides (default: defaultInstrument(bars.instrumentId)). */
  readonly instrument?: Partial<InstrumentSpec>;
}

export interface TrialRun {
  readonly metrics: TrialMetrics;
  /** Timestamps and equity of the measured bars (the window, without the warm-up lead-in). */
  readonly ts: Float64Array;
  readonly equity: Float64Array;
  /** Returns of closed trades (net of fees), in exit order. */
  readonly tradeReturns: Float64Array;
}

/**
 * One backtest of `params` measured on `window` of `bars`. The strategy gets its warm-up bars before the
 * window (as much as the data has), so a window starts trading at once instead of spending its first
 * bars warming up; orders cannot happen in the lead-in because the strategy is not warm yet.
 */
export function runTrial(bars: BarSeries, spec: BacktestSpec, params: Params, window?: BarWindow): TrialRun {
  const w = window ?? { from: 0, to: bars.length };
  checkWindow(bars, w);
  const strategy = createStrategy(spec.strategy, { ...params });
  const lead = Math.min(w.from, strategy.warmupBars);
  const start = w.from - lead;
  const series = start === 0 && w.to === bars.length ? bars : sliceBars(bars, start, w.to);
  // Trials read only equity and trades: keeping every order and fill would cost ~1.7x in GC.
  const engine = new BacktestEngine({ commission: 0, record: 'trades', ...spec.config, stats: false });
  engine.addInstrument(defaultInstrument(bars.instrumentId, spec.instrument), series).addStrategy(strategy);
  const r = engine.run();
  if (r.equity.length < lead) throw invalid('window', w, 'the account went broke during the warm-up lead-in');
  const ts = r.ts.subarray(lead);
  const equity = r.equity.subarray(lead);
  const tradeReturns = Float64Array.from(r.trades, (t) => t.returnPct);
  return { metrics: equityMetrics(ts, equity, r.trades.length), ts, equity, tradeReturns };
}
