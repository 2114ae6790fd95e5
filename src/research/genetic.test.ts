import { describe, expect, it } from 'vitest';
import { geneticSearch } from './genetic.js';
import { ParamSpace } from './param-space.js';
import { functionRunner } from './runner.js';
import { gridSearch, randomSearch } from './search.js';

describe('geneticSearch', () => {
  const space = new ParamSpace({
    dimensions: { x: { kind: 'int', min: 0, max: 100 }, y: { kind: 'int', min: 0, max: 50 } },
  });
  // A known function: a paraboloid with its only maximum (0) at x = 37, y = 11, on a 5,151-point lattice.
  const f = (p: Readonly<Record<string, unknown>>) => ({
    f: -(((p.x as number) - 37) ** 2) - ((p.y as number) - 11) ** 2,
  });

  it('finds the optimum of a known function with far fewer evaluations than the grid', async () => {
    const r = await geneticSearch({
      space,
      runner: functionRunner(f),
      objectives: [{ metric: 'f', goal: 'max' }],
      seed: 42,
      population: 30,
      generations: 60,
      patience: 8,
    });
    expect(r.best.params).toEqual({ x: 37, y: 11 });
    expect(r.best.metrics.f! + 0).toBe(0);
    expect(r.evaluations).toBeLessThan(space.rawSize / 4);
    expect(r.stoppedEarly).toBe(true);
    const again = await geneticSearch({
      space,
      runner: functionRunner(f),
      objectives: [{ metric: 'f', goal: 'max' }],
      seed: 42,
      population: 30,
      generations: 60,
      patience: 8,
    });
    expect(again.trials).toEqual(r.trials);
  });

  it('returns the Pareto front of two conflicting objectives', async () => {
    const s = new ParamSpace({ dimensions: { x: { kind: 'int', min: 0, max: 20 } } });
    const g = (p: Readonly<Record<string, unknown>>) => ({
      a: -((p.x as number) ** 2),
      b: -(((p.x as number) - 10) ** 2),
    });
    const objectives = [
      { metric: 'a', goal: 'max' as const },
      { metric: 'b', goal: 'max' as const },
    ];
    const r = await geneticSearch({
      space: s,
      runner: functionRunner(g),
      objectives,
      seed: 1,
      population: 12,
      generations: 40,
    });
    // Every x in [0, 10] trades a for b; x > 10 is dominated by x = 10.
    expect(r.front.map((t) => t.params.x).sort((u, v) => (u as number) - (v as number))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    const grid = await gridSearch({ space: s, runner: functionRunner(g), objectives });
    expect(grid.front.map((t) => t.params.x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('random search is seeded', async () => {
    const a = await randomSearch({
      space,
      runner: functionRunner(f),
      objectives: [{ metric: 'f', goal: 'max' }],
      samples: 50,
      seed: 9,
    });
    const b = await randomSearch({
      space,
      runner: functionRunner(f),
      objectives: [{ metric: 'f', goal: 'max' }],
      samples: 50,
      seed: 9,
    });
    expect(a.trials).toEqual(b.trials);
    expect(a.evaluations).toBe(50);
    expect(a.best.metrics.f).toBe(Math.max(...a.trials.map((t) => t.metrics.f!)));
  });
});
