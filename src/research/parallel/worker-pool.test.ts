import { describe, expect, it } from 'vitest';
import { geneticSearch } from '../genetic.js';
import { ParamSpace } from '../param-space.js';
import { dailyRandomWalk } from '../random-walk.js';
import { localRunner } from '../runner.js';
import { gridSearch } from '../search.js';
import { WorkerPool } from './worker-pool.js';

const bars = dailyRandomWalk(2000, { seed: 3 });
const spec = { strategy: 'sma-cross', config: { commission: 0.001 } };
const space = new ParamSpace({
  strategy: 'sma-cross',
  dimensions: {
    fast: { kind: 'int', min: 5, max: 30, step: 5 },
    slow: { kind: 'int', min: 20, max: 80, step: 15 },
  },
});

describe('WorkerPool', () => {
  it('gives identical search results on 1 and on 2 workers, and in process', async () => {
    const one = await WorkerPool.start({ bars, spec, workers: 1 });
    const two = await WorkerPool.start({ bars, spec, workers: 2 });
    try {
      const g1 = await gridSearch({ space, runner: one });
      const g2 = await gridSearch({ space, runner: two });
      const g0 = await gridSearch({ space, runner: localRunner(bars, spec) });
      expect(g1.evaluations).toBe(27);
      expect(g2.trials).toEqual(g1.trials);
      expect(g0.trials).toEqual(g1.trials);
      expect(g2.best).toEqual(g1.best);
      const ga = { space, seed: 4, population: 8, generations: 4, window: { from: 100, to: 1500 } };
      const a1 = await geneticSearch({ ...ga, runner: one });
      const a2 = await geneticSearch({ ...ga, runner: two });
      expect(a2.trials).toEqual(a1.trials);
      expect(a2.front).toEqual(a1.front);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('reports a failing backtest with its parameters', async () => {
    const pool = await WorkerPool.start({ bars, spec, workers: 1 });
    try {
      await expect(pool.evaluate([{ fast: 5, slow: 20 }], { from: 10, to: 5 })).rejects.toThrow(
        /backtest of \{"fast":5,"slow":20\} failed: TickerError: window/,
      );
    } finally {
      await pool.close();
    }
  });
});
