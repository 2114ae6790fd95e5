import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RISK_VARIANTS, type RiskVariant, riskVariant, runRiskVariant } from './risk-variants.js';
import { syntheticBars } from './synthetic.js';

/**
 * Instructions per run of the risk benchmark's variants, counted by valgrind: for differences the timings
 * cannot resolve. On this project's machines the timed A/B method (bench/risk-split.ts) moves by ±2-3%
 * between batches; these counts repeat to about ±0.3%.
 *
 *   node dist/bench/risk-instructions.js [--bars N] [variant …]   (default: 200,000 bars, every variant)
 *
 * For each variant it runs, under `valgrind --tool=cachegrind`, a process that does 6 runs and one that
 * does 12 (`gc()` before each, as the benchmark does), and prints (count₁₂ − count₆) / 6: the steady
 * state, without start-up and the first compilations. `node --predictable` makes V8 single-threaded with a
 * fixed hash seed, so the counts do not depend on thread timing. The collection before each run is in
 * the count (~70M of ~283M instructions at 200,000 bars): compare differences, not ratios, with the
 * timed figure. Needs valgrind (Debian's package `valgrind`); ~1.5 minutes per variant.
 */
const at = process.argv.indexOf('--runs');
if (at >= 0) {
  const runs = Number(process.argv[at + 1]);
  const variant = riskVariant(process.argv[process.argv.indexOf('--variant') + 1]);
  const bars = syntheticBars(Number(process.argv[process.argv.indexOf('--bars') + 1]), 7);
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < runs; i++) {
    gc?.();
    runRiskVariant(variant, bars);
  }
} else {
  const args = process.argv.slice(2);
  const b = args.indexOf('--bars');
  const bars = b >= 0 ? Number(args[b + 1]) : 200_000;
  if (!Number.isInteger(bars) || bars < 100)
    throw new Error(`--bars must be an integer ≥ 100, got ${args[b + 1]}`);
  const named = args.filter((a, i) => !a.startsWith('--') && (b < 0 || i !== b + 1));
  const chosen: RiskVariant[] = named.length ? named.map(riskVariant) : [...RISK_VARIANTS];
  // bypass first: every other variant is printed as its difference from it.
  const variants = ['bypass' as const, ...chosen.filter((v) => v !== 'bypass')];
  const self = fileURLToPath(import.meta.url);
  const count = (variant: RiskVariant, runs: number): number => {
    const r = spawnSync(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        '--smc-check=all-non-file',
        '--cachegrind-out-file=/dev/null',
        process.execPath,
        '--predictable',
        '--expose-gc',
        self,
        '--runs',
        String(runs),
        '--variant',
        variant,
        '--bars',
        String(bars),
      ],
      { encoding: 'utf8' },
    );
    if (r.error)
      throw new Error(`valgrind could not be started (${r.error.message}): apt-get install valgrind`);
    const m = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
    if (r.status !== 0 || !m)
      throw new Error(`variant ${variant} failed under valgrind: ${r.stderr.slice(-2000)}`);
    return Number(m[1]!.replaceAll(',', ''));
  };
  const perRun = new Map<RiskVariant, number>();
  for (const v of variants) {
    perRun.set(v, (count(v, 12) - count(v, 6)) / 6);
    const base = perRun.get('bypass');
    const x = perRun.get(v)!;
    const vs =
      base === undefined || v === 'bypass' ? '' : `  ${((x - base) / 1e6).toFixed(1)}M more than bypass`;
    process.stdout.write(`${v.padEnd(8)} ${(x / 1e6).toFixed(1)}M instructions a run${vs}\n`);
  }
}
