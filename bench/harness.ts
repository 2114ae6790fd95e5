/**
 * The benchmark harness. Each `*.bench.ts` file exports `figures()`, run in its own child process so
 * peak RSS belongs to that benchmark alone. A figure is `{ name, value, unit }`.
 */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export type BenchMain = () => Promise<Figure[]> | Figure[];

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Best of `runs` timings of `fn` (ms) after `warmups` untimed runs: the least disturbed run is the one
 * closest to the machine's speed.
 */
export function bestOf(runs: number, fn: () => void, warmups = 0): number {
  let best = Infinity;
  const gc = (globalThis as { gc?: () => void }).gc;
  // Untimed warm-up runs first: what is measured is the steady state, not JIT compilation.
  for (let i = 0; i < warmups; i++) fn();
  for (let i = 0; i < runs; i++) {
    // Collect the previous run's garbage first: each run's peak memory is then its own, not the sum.
    gc?.();
    const t0 = process.hrtime.bigint();
    fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best) best = ms;
  }
  return best;
}

/** Called at the bottom of each bench file: when run as a child, prints its figures as JSON. */
export async function runAsChild(main: BenchMain): Promise<void> {
  const figures = await main();
  process.stdout.write(`\n@@FIGURES@@${JSON.stringify(figures)}\n`);
}
