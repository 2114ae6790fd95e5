/**
 * The contract every streaming indicator keeps: `update(x)` is O(1) and allocates nothing, `value` is NaN
 * until `ready`, and `reset()` returns it to its freshly constructed state.
 */
export interface Indicator {
  readonly value: number;
  readonly ready: boolean;
  /** Number of updates needed before `ready`. */
  readonly warmup: number;
  update(x: number): number;
  reset(): void;
}
