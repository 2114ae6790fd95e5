import { fileURLToPath } from 'node:url';
import { median } from '../src/portfolio/timeseries.js';
import { type Figure, runAsChild } from './harness.js';
import { printVariant, timeInChild } from './risk-variants.js';
import { syntheticBars } from './synthetic.js';

/**
 * risk.overhead_ratio: the kernel benchmark's run (1M bars, SMA cross) with every pre-trade rule and the
 * RiskMonitor's per-bar breakers on, divided by the same run with both bypassed. The bypass exists only
 * here: a RiskEngine with no rules and a no-op per-bar hook, injected through BacktestEngine's deps
 * (bench/risk-variants.ts builds both; bench/risk-split.ts times the parts in between).
 * Each variant runs in its own process so one variant's JIT feedback cannot slow the other
 * (timeRiskVariant says how each is timed).
 */
const N = 1_000_000;
const ROUNDS = 12;

const at = process.argv.indexOf('--variant');
if (at >= 0) {
  printVariant(process.argv[at + 1], syntheticBars(N, 7));
} else {
  const self = fileURLToPath(import.meta.url);
  await runAsChild((): Figure[] => {
    let full = Infinity;
    let bypass = Infinity;
    let tf = 0;
    let tb = 0;
    const ratios: number[] = [];
    // Each round runs the two variants back to back, so both see the machine in the same state; the
    // figure is the median of the rounds' ratios (a pair shares any slowdown of the machine, and the
    // median ignores a round that one hiccup spoiled). Best times are reported beside it.
    for (let i = 0; i < ROUNDS; i++) {
      const f = i % 2 === 0 ? timeInChild(self, 'full') : undefined;
      const b = timeInChild(self, 'bypass');
      const f2 = f ?? timeInChild(self, 'full');
      ratios.push(f2.ms / b.ms);
      full = Math.min(full, f2.ms);
      bypass = Math.min(bypass, b.ms);
      tf = f2.trades;
      tb = b.trades;
    }
    if (tf !== tb || tf === 0)
      throw new Error(`variants traded differently (${tf} vs ${tb}): the ratio would compare different work`);
    ratios.sort((x, y) => x - y);
    return [
      { name: 'risk.full_bars_per_s', value: N / (full / 1000), unit: 'bars/s' },
      { name: 'risk.bypass_bars_per_s', value: N / (bypass / 1000), unit: 'bars/s' },
      { name: 'risk.overhead_ratio', value: median(ratios), unit: 'full/bypass time' },
      { name: 'risk.overhead_ratio_min', value: ratios[0]!, unit: 'full/bypass time' },
      { name: 'risk.overhead_ratio_max', value: ratios[ratios.length - 1]!, unit: 'full/bypass time' },
    ];
  });
}
