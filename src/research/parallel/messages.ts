import type { BarWindow } from '../bar-window.js';
import type { TrialMetrics } from '../metrics.js';
import type { Params } from '../param-space.js';
import type { BacktestSpec } from '../trial.js';

/** What a worker is started with: the bars' columns (in SharedArrayBuffers, not copied) and the spec. */
export interface WorkerInit {
  readonly instrumentId: string;
  readonly columns: {
    ts: Float64Array;
    open: Float64Array;
    high: Float64Array;
    low: Float64Array;
    close: Float64Array;
    volume: Float64Array;
  };
  readonly spec: BacktestSpec;
}

export interface TrialJob {
  readonly id: number;
  readonly params: Params;
  readonly window?: BarWindow | undefined;
}

export type TrialReply =
  { readonly id: number; readonly metrics: TrialMetrics } | { readonly id: number; readonly error: string };
