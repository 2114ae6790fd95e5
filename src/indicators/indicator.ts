import { invalid } from '../model/index.js';

/**
 * What every streaming indicator shares: `value` is NaN until `ready`, `warmup` is the number of updates
 * it needs before `ready`, and `reset()` returns it to its freshly constructed state. Updates are O(1)
 * (amortized O(1) for the rolling extremes; CCI is O(period), see cci.ts) and allocate nothing.
 */
export interface IndicatorState {
  readonly value: number;
  readonly ready: boolean;
  /** Number of updates needed before `ready`. */
  readonly warmup: number;
  reset(): void;
}

/** An indicator of one input series (usually the close). */
export interface Indicator extends IndicatorState {
  update(x: number): number;
}

/**
 * An indicator of bars. Implementations that do not need every input declare fewer parameters (ATR takes
 * high, low, close) and are still assignable here.
 */
export interface BarIndicator extends IndicatorState {
  update(high: number, low: number, close: number, volume: number): number;
}

/** Shared parameter check: a period must be an integer >= `min`. */
export function checkPeriod(field: string, period: number, min = 1): void {
  if (!(Number.isInteger(period) && period >= min))
    throw invalid(field, period, `must be an integer >= ${min}`);
}
