import { fileURLToPath } from 'node:url';
import { median } from '../src/portfolio/timeseries.js';
import { RISK_VARIANTS, type RiskVariant, printVariant, riskVariant, timeInChild } from './risk-variants.js';
import { syntheticBars } from './synthetic.js';

/**
 * What each part of the risk layer costs in the risk benchmark's run: `node --expose-gc
 * dist/bench/risk-split.js [--rounds N] [variant …]` (default: every variant, 10 rounds). Each round
 * times every variant once, each in its own process (best of 8 after 5 warm-ups, as the benchmark does),
 * in alternating order; per variant it prints the median and best of the rounds and the median of the
 * rounds' ratios to `bypass` (a round's processes ran back to back, so they share the machine's state).
 * On a machine whose speed drifts (this project's CI VMs: 10-50% over minutes) the ratio of the medians
 * moves by about ±2% between batches of 10-20 rounds: differences smaller than that are not resolved.
 */
const N = 1_000_000;

const at = process.argv.indexOf('--variant');
if (at >= 0) {
  printVariant(process.argv[at + 1], syntheticBars(N, 7));
} else {
  const args = process.argv.slice(2);
  const r = args.indexOf('--rounds');
  const rounds = r >= 0 ? Number(args[r + 1]) : 10;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer, got ${args[r + 1]}`);
  const named = args.filter((a, i) => !a.startsWith('--') && (r < 0 || i !== r + 1));
  const chosen: RiskVariant[] = named.length ? named.map(riskVariant) : [...RISK_VARIANTS];
  const variants: RiskVariant[] = chosen.includes('bypass') ? chosen : ['bypass', ...chosen];
  const self = fileURLToPath(import.meta.url);
  const ms = new Map<RiskVariant, number[]>(variants.map((v) => [v, []]));
  const trades = new Map<RiskVariant, number>();
  for (let i = 0; i < rounds; i++) {
    for (const v of i % 2 === 0 ? variants : [...variants].reverse()) {
      const t = timeInChild(self, v);
      ms.get(v)!.push(t.ms);
      trades.set(v, t.trades);
    }
    process.stderr.write(`\rround ${i + 1}/${rounds}`);
  }
  process.stderr.write('\n');
  const base = ms.get('bypass')!;
  console.log('variant   median ms   best ms   median ratio to bypass   trades');
  for (const v of variants) {
    const xs = ms.get(v)!;
    const ratio = median(xs.map((x, i) => x / base[i]!));
    console.log(
      `${v.padEnd(8)} ${median(xs).toFixed(1).padStart(10)} ${Math.min(...xs)
        .toFixed(1)
        .padStart(9)} ${ratio.toFixed(3).padStart(24)} ${String(trades.get(v)).padStart(8)}`,
    );
  }
}
