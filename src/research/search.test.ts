import { describe, expect, it } from 'vitest';
import { geneticSearch } from './genetic.js';
import { ParamSpace } from './param-space.js';
import { functionRunner } from './runner.js';
import { gridSearch, randomSearch } from './search.js';

describe('searches pass the space fixed values to every backtest', () => {
  const space = new ParamSpace({
    dimensions: { x: { kind: 'int', min: 0, max: 4 } },
    fixed: { mode: 'short' },
  });
  const seen: unknown[] = [];
  const runner = functionRunner((p) => {
    seen.push(p.mode);
    return { f: p.mode === 'short' ? (p.x as number) : -1 };
  });
  const objectives = [{ metric: 'f', goal: 'max' }] as const;

  it('grid, random and genetic searches all see mode=short', async () => {
    const g = await gridSearch({ space, runner, objectives: [...objectives] } as Parameters<
      typeof gridSearch
    >[0]);
    expect(g.best.metrics['f']).toBe(4);
    const r = await randomSearch({
      space,
      runner,
      objectives: [...objectives],
      samples: 3,
      seed: 1,
    } as Parameters<typeof randomSearch>[0]);
    expect(r.trials.length).toBe(3);
    await geneticSearch({
      space,
      runner,
      objectives: [...objectives],
      seed: 3,
      population: 4,
      generations: 2,
    } as Parameters<typeof geneticSearch>[0]);
    expect(seen.length).toBeGreaterThan(8);
    expect(seen.every((m) => m === 'short')).toBe(true);
  });
});
