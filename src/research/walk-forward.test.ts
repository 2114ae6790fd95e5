import { describe, expect, it } from 'vitest';
import { TickerError } from '../model/index.js';
import { optimize } from './optimize.js';
import { ParamSpace } from './param-space.js';
import { quarantineOf } from './quarantine.js';
import { dailyRandomWalk } from './random-walk.js';
import { walkForward, walkForwardWindows } from './walk-forward.js';

const bars = dailyRandomWalk(800, { seed: 5 });
const spec = { strategy: 'sma-cross', config: { cash: 10_000, commission: 0.001 } };
const space = new ParamSpace({
  strategy: 'sma-cross',
  dimensions: {
    fast: { kind: 'int', min: 5, max: 20, step: 5 },
    slow: { kind: 'int', min: 20, max: 60, step: 20 },
  },
});

function refusal(f: () => unknown): TickerError {
  try {
    f();
  } catch (e) {
    if (e instanceof TickerError) return e;
    throw e;
  }
  throw new Error('did not refuse');
}

describe('quarantine', () => {
  it('holds out the last 30 days by default', () => {
    const q = quarantineOf(bars);
    // Daily bars: the last bar and the 29 before it lie within 30 days of the end.
    expect(q.usableEnd).toBe(770);
    expect(q.heldOutBars).toBe(30);
    expect(q.describe).toBe('2022-02-09 00:00:00 … 2022-03-10 00:00:00 (30 bars, last 30 days) held out');
  });

  it('refuses zero unless the unsafe switch is named, and refuses the switch with a positive quarantine', () => {
    const e = refusal(() => quarantineOf(bars, { quarantineDays: 0 }));
    expect(e.code).toBe('QUARANTINE_DISABLED');
    expect(e.field).toBe('quarantineDays');
    expect(e.message).toMatch(/unsafeNoQuarantine: true/);
    expect(quarantineOf(bars, { quarantineDays: 0, unsafeNoQuarantine: true }).usableEnd).toBe(800);
    expect(refusal(() => quarantineOf(bars, { quarantineDays: 10, unsafeNoQuarantine: true })).field).toBe(
      'unsafeNoQuarantine',
    );
    expect(refusal(() => quarantineOf(bars, { quarantineDays: -1 })).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses a walk-forward whose windows reach into the quarantine', async () => {
    const run = walkForward({
      bars,
      spec,
      space,
      method: { kind: 'grid' },
      inSampleBars: 300,
      outOfSampleBars: 100,
      windows: [{ inSample: { from: 400, to: 700 }, outOfSample: { from: 700, to: 780 } }],
    });
    await expect(run).rejects.toMatchObject({
      code: 'QUARANTINE_VIOLATION',
      field: 'walk-forward window 0',
      value: 780,
    });
    await expect(run).rejects.toThrow(
      /uses bars up to 2022-02-18 00:00:00 \(index 779\), but the last 30 days are quarantined: nothing may train, tune or select on data after 2022-02-08 00:00:00 \(index 769\)/,
    );
  });

  it('refuses an optimize window inside the quarantine', async () => {
    await expect(
      optimize({ bars, spec, space, method: { kind: 'grid' }, window: { from: 0, to: 800 } }),
    ).rejects.toMatchObject({
      code: 'QUARANTINE_VIOLATION',
    });
    const ok = await optimize({ bars, spec, space, method: { kind: 'grid' } });
    expect(ok.window).toEqual({ from: 0, to: 770 });
    expect(ok.evaluations).toBe(space.grid().length);
  });
});

describe('walkForward', () => {
  it('generates rolling and anchored windows that stop before the quarantine', () => {
    expect(walkForwardWindows(770, 300, 150)).toEqual([
      { inSample: { from: 0, to: 300 }, outOfSample: { from: 300, to: 450 } },
      { inSample: { from: 150, to: 450 }, outOfSample: { from: 450, to: 600 } },
      { inSample: { from: 300, to: 600 }, outOfSample: { from: 600, to: 750 } },
    ]);
    expect(walkForwardWindows(770, 300, 150, 'anchored')[2]!.inSample).toEqual({ from: 0, to: 600 });
  });

  it('optimizes in-sample, tests out-of-sample, stitches, and reports the degradation on a walk with no edge', async () => {
    const r = await walkForward({
      bars,
      spec,
      space,
      method: { kind: 'grid' },
      inSampleBars: 300,
      outOfSampleBars: 150,
    });
    expect(r.windows).toHaveLength(3);
    expect(r.stitched.equity.length).toBe(450);
    expect(r.stitched.equity[0]).toBe(10_000);
    // The stitched curve's return is the product of the windows' returns.
    const product = r.windows.reduce((a, w) => a * (1 + w.outOfSampleMetrics.totalReturn), 1) - 1;
    expect(r.outOfSample.totalReturn).toBeCloseTo(product, 10);
    // On a random walk the best in-sample Sharpe is selection luck: it must not survive out of sample.
    expect(r.windows.map((w) => w.params)).toEqual([
      { fast: 20, slow: 40 },
      { fast: 20, slow: 40 },
      { fast: 20, slow: 60 },
    ]);
    expect(r.windows[0]!.inSampleMetrics.sharpe).toBeCloseTo(1.3148, 3);
    expect(r.windows[0]!.outOfSampleMetrics.sharpe).toBeCloseTo(-1.8906, 3);
    expect(r.degradation.inSampleSharpe).toBeCloseTo(0.089, 3);
    expect(r.degradation.outOfSampleSharpe).toBeCloseTo(-0.8335, 3);
    expect(r.outOfSample.totalReturn).toBeCloseTo(-0.0895, 3);
    expect(r.outOfSample.trades).toBe(6);
    expect(r.stability.fast!.values).toEqual(r.windows.map((w) => w.params.fast));
    expect(r.quarantine.usableEnd).toBe(770);
    for (const w of r.windows) expect(w.evaluations).toBe(11);
  });
});
