import { type BarSeries, TickerError, invalid } from '../model/index.js';
import { isoDate } from '../portfolio/timeseries.js';
import { type BarWindow, checkWindow } from './bar-window.js';
import { type TrialMetrics, equityMetrics } from './metrics.js';
import { DEFAULT_OBJECTIVES, type Objective } from './objectives.js';
import { type SearchMethod, searchWith } from './optimize.js';
import type { ParamValue, Params, ParamSpace } from './param-space.js';
import {
  type Quarantine,
  type QuarantineOptions,
  assertBeforeQuarantine,
  quarantineOf,
} from './quarantine.js';
import { type TrialRunner, localRunner } from './runner.js';
import { type BacktestSpec, type TrialRun, runTrial } from './trial.js';

export interface WalkForwardOptions extends QuarantineOptions {
  readonly bars: BarSeries;
  readonly spec: BacktestSpec;
  readonly space: ParamSpace;
  readonly method: SearchMethod;
  readonly objectives?: readonly Objective[];
  /** Bars each optimization sees (rolling), or the first one sees (anchored). */
  readonly inSampleBars: number;
  /** Bars each chosen parameter set is tested on. */
  readonly outOfSampleBars: number;
  /** 'rolling' slides the in-sample window; 'anchored' keeps its start at the first bar (default rolling). */
  readonly mode?: 'rolling' | 'anchored';
  /** Explicit windows instead of generated ones (each is checked against the quarantine). */
  readonly windows?: readonly { readonly inSample: BarWindow; readonly outOfSample: BarWindow }[];
  readonly runner?: TrialRunner;
}

export interface WalkForwardWindow {
  readonly inSample: BarWindow;
  readonly outOfSample: BarWindow;
  /** ISO dates of the first and last bar of each part. */
  readonly dates: { readonly inSample: [string, string]; readonly outOfSample: [string, string] };
  readonly params: Params;
  readonly inSampleMetrics: TrialMetrics;
  readonly outOfSampleMetrics: TrialMetrics;
  readonly evaluations: number;
}

export interface ParamStability {
  readonly values: readonly ParamValue[];
  /** Share of windows that chose the most common value. */
  readonly modeShare: number;
  /** For numbers: mean, sample deviation and coefficient of variation (sd / |mean|) of the choices. */
  readonly mean?: number;
  readonly sd?: number;
  readonly cv?: number;
}

export interface WalkForwardResult {
  readonly windows: readonly WalkForwardWindow[];
  /** Out-of-sample equity of every window chained end to end (each window continues from the last one's equity). */
  readonly stitched: { readonly ts: Float64Array; readonly equity: Float64Array };
  readonly outOfSample: TrialMetrics;
  /** Means over windows of the in-sample (optimized) and out-of-sample metrics, and OOS / IS. */
  readonly degradation: {
    readonly inSampleSharpe: number;
    readonly outOfSampleSharpe: number;
    readonly sharpeRatio: number;
    readonly inSampleReturn: number;
    readonly outOfSampleReturn: number;
    /**
     * Walk-forward efficiency (Pardo, The Evaluation and Optimization of Trading Strategies, 2008, ch. 11):
     * annualized out-of-sample return over annualized in-sample return.
     */
    readonly efficiency: number;
  };
  readonly stability: Readonly<Record<string, ParamStability>>;
  readonly quarantine: Quarantine;
}

/** The generated windows: in-sample then out-of-sample, stepping by the out-of-sample length. */
export function walkForwardWindows(
  usableEnd: number,
  inSampleBars: number,
  outOfSampleBars: number,
  mode: 'rolling' | 'anchored' = 'rolling',
): { inSample: BarWindow; outOfSample: BarWindow }[] {
  for (const [k, v] of [
    ['inSampleBars', inSampleBars],
    ['outOfSampleBars', outOfSampleBars],
  ] as const)
    if (!Number.isInteger(v) || v < 2) throw invalid(k, v, 'must be an integer number of bars >= 2');
  const out: { inSample: BarWindow; outOfSample: BarWindow }[] = [];
  for (let s = 0; s + inSampleBars + outOfSampleBars <= usableEnd; s += outOfSampleBars) {
    const isEnd = s + inSampleBars;
    out.push({
      inSample: { from: mode === 'anchored' ? 0 : s, to: isEnd },
      outOfSample: { from: isEnd, to: isEnd + outOfSampleBars },
    });
  }
  return out;
}

/**
 * `tickerml walkforward`: optimize on each in-sample window, trade the chosen parameters on the
 * out-of-sample window that follows, stitch the out-of-sample equity, and report how much of the
 * in-sample performance survived and how stable the choices were.
 */
export async function walkForward(o: WalkForwardOptions): Promise<WalkForwardResult> {
  const q = quarantineOf(o.bars, o);
  const objectives = o.objectives ?? DEFAULT_OBJECTIVES;
  const specs = o.windows ?? walkForwardWindows(q.usableEnd, o.inSampleBars, o.outOfSampleBars, o.mode);
  if (specs.length === 0)
    throw new TickerError(
      'NO_WINDOWS',
      `no walk-forward window fits: ${o.inSampleBars} + ${o.outOfSampleBars} bars needed, ${q.usableEnd} usable before the quarantine (${q.describe})`,
      { field: 'inSampleBars', value: o.inSampleBars },
    );
  specs.forEach((w, i) => {
    checkWindow(o.bars, w.inSample, `windows[${i}].inSample`);
    checkWindow(o.bars, w.outOfSample, `windows[${i}].outOfSample`);
    if (w.outOfSample.from < w.inSample.to)
      throw invalid(
        `windows[${i}].outOfSample.from`,
        w.outOfSample.from,
        `must not overlap the in-sample window ending at ${w.inSample.to}`,
      );
    // Out-of-sample results select among strategies too (a user reads them to decide), so they respect the quarantine as well.
    assertBeforeQuarantine(o.bars, q, Math.max(w.inSample.to, w.outOfSample.to), `walk-forward window ${i}`);
  });
  const runner = o.runner ?? localRunner(o.bars, o.spec);
  const d = (i: number) => isoDate(o.bars.ts[i]!);
  const windows: WalkForwardWindow[] = [];
  const runs: TrialRun[] = [];
  for (const w of specs) {
    const search = await searchWith(o.method, o.space, runner, objectives, w.inSample);
    const params = o.space.complete(search.best.params);
    const oos = runTrial(o.bars, o.spec, params, w.outOfSample);
    runs.push(oos);
    windows.push({
      inSample: w.inSample,
      outOfSample: w.outOfSample,
      dates: {
        inSample: [d(w.inSample.from), d(w.inSample.to - 1)],
        outOfSample: [d(w.outOfSample.from), d(w.outOfSample.to - 1)],
      },
      params,
      inSampleMetrics: search.best.metrics as TrialMetrics,
      outOfSampleMetrics: oos.metrics,
      evaluations: search.evaluations,
    });
  }
  const stitched = stitch(o.spec.config?.cash ?? 10_000, runs);
  const outOfSample = equityMetrics(
    stitched.ts,
    stitched.equity,
    windows.reduce((a, w) => a + w.outOfSampleMetrics.trades, 0),
  );
  const mean = (f: (w: WalkForwardWindow) => number) =>
    windows.reduce((a, w) => a + (Number.isNaN(f(w)) ? 0 : f(w)), 0) / windows.length;
  const isSharpe = mean((w) => w.inSampleMetrics.sharpe);
  const oosSharpe = mean((w) => w.outOfSampleMetrics.sharpe);
  const annual = (m: TrialMetrics, bars: number) => (1 + m.totalReturn) ** (1 / bars) - 1;
  const isRet = mean((w) => annual(w.inSampleMetrics, w.inSample.to - w.inSample.from));
  const oosRet = mean((w) => annual(w.outOfSampleMetrics, w.outOfSample.to - w.outOfSample.from));
  return {
    windows,
    stitched,
    outOfSample,
    degradation: {
      inSampleSharpe: isSharpe,
      outOfSampleSharpe: oosSharpe,
      sharpeRatio: oosSharpe / isSharpe,
      inSampleReturn: mean((w) => w.inSampleMetrics.totalReturn),
      outOfSampleReturn: mean((w) => w.outOfSampleMetrics.totalReturn),
      // Per-bar geometric returns compounded to the same horizon, so windows of different lengths compare.
      efficiency: oosRet / isRet,
    },
    stability: stabilityOf(
      o.space.names,
      windows.map((w) => w.params),
    ),
    quarantine: q,
  };
}

/** Chains the out-of-sample equity curves: each starts where the previous one ended. */
export function stitch(
  cash: number,
  runs: readonly { ts: Float64Array; equity: Float64Array }[],
): { ts: Float64Array; equity: Float64Array } {
  const total = runs.reduce((a, r) => a + r.equity.length, 0);
  const ts = new Float64Array(total);
  const equity = new Float64Array(total);
  let k = 0;
  let level = cash;
  for (const r of runs) {
    const scale = level / r.equity[0]!;
    for (let i = 0; i < r.equity.length; i++) {
      ts[k] = r.ts[i]!;
      equity[k++] = r.equity[i]! * scale;
    }
    level = equity[k - 1]!;
  }
  return { ts, equity };
}

export function stabilityOf(
  names: readonly string[],
  chosen: readonly Params[],
): Record<string, ParamStability> {
  const out: Record<string, ParamStability> = {};
  for (const n of names) {
    const values = chosen.map((p) => p[n]!);
    const counts = new Map<ParamValue, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const modeShare = Math.max(...counts.values()) / values.length;
    if (values.every((v) => typeof v === 'number')) {
      const xs = values as number[];
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
      out[n] = { values, modeShare, mean, sd, cv: mean !== 0 ? sd / Math.abs(mean) : Number.NaN };
    } else out[n] = { values, modeShare };
  }
  return out;
}
