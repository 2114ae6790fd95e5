import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../../src/data/csv-bars.js';
import { ParamSpace, cpcv, optimize, walkForward } from '../../src/research/index.js';

/**
 * The worked example of docs/RESEARCH.md on real data (GOOG daily bars 2004-08-19 … 2013-03-01, the
 * backtesting.py sample): sma-cross optimized on a grid, validated walk-forward and by CPCV. Run it with
 * `npx vitest run test/integration/research-goog.test.ts`; the numbers printed are the ones in the doc.
 */
const bars = readCsvBars('test/fixtures/backtesting_py/GOOG.csv').series;
const spec = { strategy: 'sma-cross', config: { cash: 10_000, commission: 0.002 } };
const space = new ParamSpace({
  strategy: 'sma-cross',
  dimensions: {
    fast: { kind: 'int', min: 5, max: 50, step: 5 },
    slow: { kind: 'int', min: 20, max: 200, step: 20 },
  },
});

describe('worked example: sma-cross on GOOG', () => {
  it('optimizes, walks forward and cross-validates', async () => {
    const opt = await optimize({ bars, spec, space, method: { kind: 'grid' } });
    const wf = await walkForward({
      bars,
      spec,
      space,
      method: { kind: 'grid' },
      inSampleBars: 500,
      outOfSampleBars: 250,
    });
    const cv = cpcv({ bars, spec, space, groups: 6, testGroups: 2 });
    const r = {
      quarantine: opt.quarantine.describe,
      candidates: opt.evaluations,
      best: opt.best,
      front: opt.front.length,
      windows: wf.windows.map((w) => ({
        is: w.dates.inSample,
        oos: w.dates.outOfSample,
        params: `${w.params.fast}/${w.params.slow}`,
        isSharpe: +w.inSampleMetrics.sharpe.toFixed(2),
        oosSharpe: +w.outOfSampleMetrics.sharpe.toFixed(2),
      })),
      degradation: wf.degradation,
      stitchedOos: wf.outOfSample,
      stability: wf.stability,
      cpcv: {
        pathSharpe: cv.pathSharpe,
        pbo: cv.pbo.pbo,
        probabilityOfLoss: cv.pbo.probabilityOfLoss,
        selected: cv.selected,
      },
    };
    console.log(JSON.stringify(r, null, 1));
    expect(opt.evaluations).toBe(90);
    expect(opt.quarantine.heldOutBars).toBe(21);
    expect(opt.best.params).toEqual({ fast: 10, slow: 20 });
    expect(opt.best.metrics.sharpe).toBeCloseTo(1.053, 3);
    expect(r.windows.map((w) => w.params)).toEqual(['5/100', '5/20', '10/20', '25/60', '45/120', '5/20']);
    expect(r.windows.map((w) => w.isSharpe)).toEqual([1.35, 1.16, 1.55, 1.2, 1.77, 0.84]);
    expect(r.windows.map((w) => w.oosSharpe)).toEqual([0.51, 1.25, 0.45, -1.29, 0.53, 0.45]);
    expect(wf.degradation.inSampleSharpe).toBeCloseTo(1.311, 3);
    expect(wf.degradation.outOfSampleSharpe).toBeCloseTo(0.318, 3);
    expect(wf.degradation.efficiency).toBeCloseTo(0.309, 3);
    expect(wf.outOfSample.sharpe).toBeCloseTo(0.492, 3);
    expect(cv.pathSharpe.mean).toBeCloseTo(0.761, 3);
    expect(cv.pbo.pbo).toBeCloseTo(0.2063, 4);
    expect(cv.selected.deflated.dsr).toBeCloseTo(0.9547, 4);
  });
});
