import { describe, expect, it } from 'vitest';
import { cpcv, summarize } from './cpcv.js';
import { ParamSpace } from './param-space.js';
import { dailyRandomWalk } from './random-walk.js';

describe('cpcv', () => {
  it('selects by purged training, gives a distribution of path Sharpe, PBO and DSR on a walk with no edge', () => {
    const bars = dailyRandomWalk(700, { seed: 21 });
    const space = new ParamSpace({
      strategy: 'sma-cross',
      dimensions: {
        fast: { kind: 'int', min: 4, max: 16, step: 4 },
        slow: { kind: 'int', min: 20, max: 50, step: 10 },
      },
    });
    const r = cpcv({
      bars,
      spec: { strategy: 'sma-cross', config: { commission: 0.001 } },
      space,
      groups: 6,
      testGroups: 2,
    });
    expect(r.candidates).toBe(16);
    expect(r.splits).toBe(15);
    expect(r.paths).toHaveLength(5); // φ = k/N·C(N,k) = 2/6·15
    expect(r.quarantine.usableEnd).toBe(670);
    expect(r.pbo.splits).toBe(252); // C(10, 5)
    expect(r.pathSharpe.min).toBeLessThanOrEqual(r.pathSharpe.median);
    // With no edge, the selection's deflated Sharpe cannot be convincing.
    expect(r.selected.params).toEqual({ fast: 16, slow: 50 });
    expect(r.selected.sharpe).toBeCloseTo(0.551, 3);
    expect(r.selected.deflated.expectedMaxSharpe).toBeCloseTo(0.04548, 4);
    expect(r.selected.deflated.dsr).toBeCloseTo(0.3331, 3);
    expect(r.pbo.pbo).toBeCloseTo(0.1865, 4);
    expect(r.pathSharpe.mean).toBeCloseTo(0.3697, 3);
    expect(r.pathSharpe.min).toBeCloseTo(0.0755, 3);
    expect(cpcv({ bars, spec: { strategy: 'sma-cross', config: { commission: 0.001 } }, space })).toEqual(r);
  });

  it('summarizes a distribution with interpolated quantiles', () => {
    expect(summarize([3, 1, 2, 5, 4])).toEqual({
      mean: 3,
      sd: Math.sqrt(2.5),
      min: 1,
      p5: 1.2,
      median: 3,
      p95: 4.8,
      max: 5,
    });
  });
});
