import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { defaultInstrument } from '../model/index.js';
import { liveShapes } from '../model/shapes.js';
import { SmaCross } from '../strategies/index.js';
import { syntheticBars } from '../../bench/synthetic.js';
import { BacktestEngine } from './backtest.js';

// A full collection on demand, without starting the test runner with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function backtest(): { engine: WeakRef<BacktestEngine>; kernel: WeakRef<object>; orders: number } {
  const engine = new BacktestEngine({ cash: 10_000, commission: 0, stats: false });
  engine
    .addInstrument(defaultInstrument('SYN'), syntheticBars(5_000, 3))
    .addStrategy(new SmaCross({ fast: 5, slow: 12 }));
  const r = engine.run();
  expect(liveShapes.engine).toBe(engine);
  return { engine: new WeakRef(engine), kernel: new WeakRef(r.kernel), orders: r.orders.length };
}

// A WeakRef's target is kept until the job that made (or read) it ends: collect in a later task, and look
// in a later one still.
const tick = () => new Promise((res) => setTimeout(res, 0));

describe('a finished backtest', () => {
  it('is kept (model/shapes.ts) only until the next backtest starts, then collected with its data', async () => {
    const first = backtest();
    expect(first.orders).toBeGreaterThan(10);
    const firstKernel = first.kernel;
    await tick();
    gc();
    await tick();
    // Dropped by the caller but still the last run: kept so the next run reuses its hidden classes.
    expect(firstKernel.deref()).toBeDefined();

    const second = backtest();
    // Collected at a full collection once nothing else holds it. A compile job V8 still has in flight for
    // the first run's functions can hold them (and so the run) for a moment: allow a few collections.
    for (let i = 0; i < 20 && firstKernel.deref() !== undefined; i++) {
      await new Promise((res) => setTimeout(res, 10));
      gc();
      await tick();
    }
    expect(firstKernel.deref()).toBeUndefined();
    expect(first.engine.deref()).toBeUndefined();
    expect(second.kernel.deref()).toBeDefined();
    expect(liveShapes.engine).toBe(second.engine.deref());
  });
});
