/**
 * The most recent instance of each per-run model class, kept alive on purpose.
 *
 * V8 compiles hot code against the hidden classes (maps) of the objects it saw. A class instance's map is
 * reached from the constructor only through weak transitions, so when every Order of a finished backtest
 * is collected, the map goes too and every optimized function that checked for it is thrown away
 * ("weak objects" in `--trace-deopt`). The next backtest in the same process (an optimizer's next
 * candidate, the benchmark's next run) then starts in the interpreter again. Holding one small instance of
 * each class keeps its map, and the code, alive. Measured on seven 1M-bar backtests in one process with a
 * full collection between them: 420 → 324 such deoptimizations (docs/BENCHMARKS.md; the rest come from
 * the engine's own objects, which cannot be kept without keeping a run's data). Only leaf objects go
 * here: none of them references a run's data.
 */
export const liveShapes: {
  order: object | undefined;
  bar: object | undefined;
  position: object | undefined;
  instrument: object | undefined;
} = { order: undefined, bar: undefined, position: undefined, instrument: undefined };
