import { MessageBus } from '../src/core/index.js';
import { BacktestEngine } from '../src/engine/backtest.js';
import { defaultInstrument } from '../src/model/index.js';
import { SmaCross } from '../src/strategies/index.js';
import { type Figure, bestOf, peakRssMb, runAsChild } from './harness.js';
import { syntheticBars } from './synthetic.js';

const N = 1_000_000;
const FAST = 10;
const SLOW = 20;
/**
 * Untimed runs before the timed ones. A run is one call of the bar loop, and V8 needs a few runs before the
 * call sites that see a fresh run's closures (strategy dispatch, engine callbacks) settle: one warm-up
 * left some processes 25% slower than others on runs 2-6, three make them agree (docs/BENCHMARKS.md).
 */
const WARMUPS = 3;

/**
 * The same two SMAs (each summed over its window every bar, the way a first script would) and the same
 * long/flat position over the same arrays, with no kernel, no orders and no fees.
 */
export function naiveSmaCross(close: Float64Array, fast: number, slow: number): number {
  let pf = Number.NaN;
  let ps = Number.NaN;
  let cash = 10_000;
  let qty = 0;
  let equity = 0;
  for (let i = 0; i < close.length; i++) {
    const c = close[i]!;
    let f = Number.NaN;
    let s = Number.NaN;
    if (i >= fast - 1) {
      let sum = 0;
      for (let k = i - fast + 1; k <= i; k++) sum += close[k]!;
      f = sum / fast;
    }
    if (i >= slow - 1) {
      let sum = 0;
      for (let k = i - slow + 1; k <= i; k++) sum += close[k]!;
      s = sum / slow;
    }
    if (pf < ps && f > s && qty === 0) {
      qty = Math.floor(cash / c);
      cash -= qty * c;
    } else if (pf > ps && f < s && qty > 0) {
      cash += qty * c;
      qty = 0;
    }
    pf = f;
    ps = s;
    equity = cash + qty * c;
  }
  return equity;
}

function main(): Figure[] {
  const bars = syntheticBars(N, 7);
  let trades = 0;
  let orders = 0;
  // Every variant is timed after one untimed warm-up run (JIT compilation and the first run's deopts are
  // start-up cost, not throughput), then the best of five: docs/BENCHMARKS.md.
  const kernelRun = (): void => {
    const e = new BacktestEngine({ cash: 10_000, commission: 0, stats: false });
    e.addInstrument(defaultInstrument('SYN'), bars).addStrategy(new SmaCross({ fast: FAST, slow: SLOW }));
    const r = e.run();
    trades = r.kernel.portfolio.trades.length;
    orders = r.kernel.execution.orderCount;
  };
  // The first run, JIT compilation included, is reported beside the steady state: it is what a single
  // backtest in a fresh process costs.
  const t0 = process.hrtime.bigint();
  kernelRun();
  const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const kernelMs = bestOf(5, kernelRun, WARMUPS - 1);
  const leanMs = bestOf(
    5,
    () => {
      const e = new BacktestEngine({ cash: 10_000, commission: 0, stats: false, record: 'trades' });
      e.addInstrument(defaultInstrument('SYN'), bars).addStrategy(new SmaCross({ fast: FAST, slow: SLOW }));
      e.run();
    },
    WARMUPS,
  );
  let sink = 0;
  const naiveMs = bestOf(
    5,
    () => {
      sink += naiveSmaCross(bars.close, FAST, SLOW);
    },
    WARMUPS,
  );
  if (!(trades > 0 && sink > 0)) throw new Error('benchmark produced no trades');

  const bus = new MessageBus();
  const topic = bus.topic<{ v: number }>('bench');
  let acc = 0;
  bus.subscribe<{ v: number }>('bench', (m) => {
    acc += m.v;
  });
  const msg = { v: 1 };
  const EVENTS = 20_000_000;
  const busMs = bestOf(3, () => {
    for (let i = 0; i < EVENTS; i++) topic.publish(msg);
  });
  if (acc !== EVENTS * 3) throw new Error('bus lost events');

  const kernelRate = N / (kernelMs / 1000);
  const naiveRate = N / (naiveMs / 1000);
  return [
    { name: 'kernel.bars_per_s', value: kernelRate, unit: 'bars/s' },
    { name: 'kernel.naive_bars_per_s', value: naiveRate, unit: 'bars/s' },
    { name: 'kernel.ratio', value: kernelRate / naiveRate, unit: 'kernel/naive' },
    { name: 'kernel.bars_per_s_trades_only', value: N / (leanMs / 1000), unit: 'bars/s' },
    { name: 'kernel.first_run_bars_per_s', value: N / (firstMs / 1000), unit: 'bars/s' },
    { name: 'kernel.orders', value: orders, unit: 'orders' },
    { name: 'kernel.peak_rss_mb', value: peakRssMb(), unit: 'MB' },
    { name: 'bus.events_per_s', value: EVENTS / (busMs / 1000), unit: 'events/s' },
  ];
}

await runAsChild(main);
