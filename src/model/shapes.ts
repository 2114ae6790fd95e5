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
 * the engine's own objects). The leaf objects here reference no run's data.
 *
 * `engine` is the one exception, on purpose: the backtest engine that started last, so the engine's own
 * objects (kernel, portfolio, venue, risk monitor, logs, the strategy and its indicators) keep their maps
 * until the next backtest has made its objects with them. It is replaced when the next run starts, so at
 * most one finished run is kept beyond what the caller holds (its orders, fills and trade rows; the
 * equity curve belongs to the result). Measured with the kernel benchmark (1M bars, 55k orders, a full
 * collection before each run): kernel.ratio 0.13 without it, 0.21 with it (docs/BENCHMARKS.md).
 */
export const liveShapes: {
  order: object | undefined;
  bar: object | undefined;
  position: object | undefined;
  instrument: object | undefined;
  engine: object | undefined;
} = { order: undefined, bar: undefined, position: undefined, instrument: undefined, engine: undefined };
