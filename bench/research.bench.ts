import { availableParallelism } from 'node:os';
import { WorkerPool } from '../src/research/parallel/worker-pool.js';
import { ParamSpace } from '../src/research/param-space.js';
import { gridSearch } from '../src/research/search.js';
import { type Figure, peakRssMb, runAsChild } from './harness.js';
import { syntheticBars } from './synthetic.js';

const N = 100_000;

/**
 * Backtests per second of a grid search of sma-cross (16 candidates) on 100,000 one-minute bars, on a
 * pool of one worker thread and on one per core; parallel efficiency = rate(all cores) / (cores × rate(1)).
 */
async function main(): Promise<Figure[]> {
  const bars = syntheticBars(N, 7);
  const spec = { strategy: 'sma-cross', config: { cash: 10_000, commission: 0.001 } };
  const space = new ParamSpace({
    strategy: 'sma-cross',
    dimensions: {
      fast: { kind: 'int', min: 5, max: 20, step: 5 },
      slow: { kind: 'int', min: 30, max: 60, step: 10 },
    },
  });
  const cores = availableParallelism();
  // Both pools are started first and timed in alternation (best of 4 each, after a warm-up pass), so a
  // burst of load from other processes on this shared machine does not fall on one side only.
  const pools = [
    await WorkerPool.start({ bars, spec, workers: 1 }),
    await WorkerPool.start({ bars, spec, workers: cores }),
  ];
  const bestMs = [Infinity, Infinity];
  const bestOf: string[] = ['', ''];
  try {
    for (let round = 0; round < 5; round++)
      for (let k = 0; k < 2; k++) {
        const t0 = process.hrtime.bigint();
        const r = await gridSearch({ space, runner: pools[k]! });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        bestOf[k] = JSON.stringify(r.trials);
        if (round > 0 && ms < bestMs[k]!) bestMs[k] = ms;
      }
  } finally {
    for (const p of pools) await p.close();
  }
  if (bestOf[0] !== bestOf[1]) throw new Error(`1 and ${cores} workers disagree`);
  const count = space.grid().length;
  const one = { perS: count / (bestMs[0]! / 1000) };
  const all = { perS: count / (bestMs[1]! / 1000) };
  return [
    { name: 'research.backtests_per_s', value: all.perS, unit: `backtests/s (${cores} cores, ${N} bars)` },
    { name: 'research.backtests_per_s_1core', value: one.perS, unit: `backtests/s (1 worker, ${N} bars)` },
    {
      name: 'research.parallel_efficiency',
      value: all.perS / (cores * one.perS),
      unit: `of ${cores}× one core`,
    },
    { name: 'research.peak_rss_mb', value: peakRssMb(), unit: 'MB (main thread process)' },
  ];
}

await runAsChild(main);
