import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalid } from '../model/index.js';
import { type ConfidenceInterval, type MonteCarloResult, monteCarlo } from '../research/index.js';
import { bootstrapFan } from './montecarlo-paths.js';
import { startProgress } from './progress.js';
import { fanChart, histogram } from './report/charts.js';
import { htmlPage } from './report/page.js';
import {
  type ResearchCliOptions,
  addCommonOptions,
  buildSpec,
  formatParams,
  int,
  loadBars,
  num,
  parseParams,
  quarantineOptions,
  toJson,
} from './research-args.js';
import { dec, pct, textTable } from './table.js';

export interface MonteCarloCliOptions extends ResearchCliOptions {
  paths: string;
  seed: string;
  level: string;
  blockLength?: string;
}

/** Runs `tickerml montecarlo`; returns the exit code. */
export function runMonteCarloCommand(
  o: MonteCarloCliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): number {
  const bars = loadBars(o);
  const spec = buildSpec(o);
  const params = parseParams(o.param ?? []);
  const paths = int('paths', o.paths, 10)!;
  const seed = int('seed', o.seed, 0)!;
  const level = num('level', o.level)!;
  if (!(level > 0 && level < 1)) throw invalid('--level', o.level, 'must be in (0, 1), e.g. 0.9');
  const blockLength = int('block-length', o.blockLength, 1);
  const qo = quarantineOptions(o);
  const t0 = performance.now();
  const progress = startProgress('monte carlo', 2, o.quiet);
  let r: MonteCarloResult;
  try {
    r = monteCarlo({
      bars,
      spec,
      params,
      seed,
      paths,
      level,
      ...(blockLength !== undefined ? { blockLength } : {}),
      ...qo,
    });
    progress.tick(1, 'resampled');
  } finally {
    progress.stop();
  }
  const secs = (performance.now() - t0) / 1000;
  const ci = (c: ConfidenceInterval, f: (x: number) => string) => [f(c.low), f(c.median), f(c.high)];
  const lo = `p${dec(((1 - level) / 2) * 100, 1).replace(/\.0$/, '')}`;
  const hi = `p${dec((1 - (1 - level) / 2) * 100, 1).replace(/\.0$/, '')}`;
  out(
    textTable(
      ['statistic', lo, 'median', hi],
      [
        ['return (trade shuffle)', ...ci(r.shuffled.totalReturn, pct)],
        ['max drawdown (trade shuffle)', ...ci(r.shuffled.maxDrawdown, pct)],
        ['return (trade bootstrap)', ...ci(r.bootstrappedTrades.totalReturn, pct)],
        ['max drawdown (trade bootstrap)', ...ci(r.bootstrappedTrades.maxDrawdown, pct)],
        ['return (block bootstrap)', ...ci(r.returns.totalReturn, pct)],
        ['max drawdown (block bootstrap)', ...ci(r.returns.maxDrawdown, pct)],
        ['sharpe (block bootstrap)', ...ci(r.returns.sharpe, dec)],
      ],
    ),
  );
  if (!o.quiet)
    out(
      `${formatParams(params)}: ${r.trades} trades, ${paths} paths per method, block length ${r.returns.blockLength}, ` +
        `${secs.toFixed(1)} s; quarantine: ${r.quarantine.describe}\n`,
    );
  if (o.json) {
    writeFileSync(
      o.json,
      toJson({ command: 'montecarlo', data: o.data, strategy: o.strategy, params, paths, seed, ...r }),
    );
    if (!o.quiet) out(`wrote ${o.json}\n`);
  }
  if (o.report) {
    const fan = bootstrapFan(bars, spec, params, {
      ...qo,
      paths,
      seed,
      ...(blockLength !== undefined ? { blockLength } : {}),
    });
    const x = Float64Array.from({ length: fan.periods + 1 }, (_, i) => i);
    const html = htmlPage(
      `tickerml montecarlo: ${o.strategy} ${formatParams(params)} on ${o.data}`,
      `${paths} paths per method, seed ${seed}, ${r.trades} trades. Return ${pct(r.returns.totalReturn.low)} … ${pct(r.returns.totalReturn.high)} ` +
        `(${Math.round(level * 100)}% interval, block bootstrap). Quarantine: ${r.quarantine.describe}.`,
      [
        {
          heading: 'Equity fan (block bootstrap of period returns)',
          html: fanChart(
            'Equity fan',
            x,
            [
              { low: fan.p5, high: fan.p95, label: '5–95%' },
              { low: fan.p25, high: fan.p75, label: '25–75%' },
            ],
            fan.median,
            { xTitle: 'period', yTitle: 'equity (start = 1)' },
          ),
          note: `Circular block bootstrap, block length ${fan.blockLength}: blocks of consecutive returns keep their autocorrelation.`,
        },
        {
          heading: 'Final return',
          html: histogram('Distribution of final return', fan.finalReturns, {
            xTitle: 'total return (fraction)',
            markers: [
              { at: r.returns.totalReturn.low, label: lo },
              { at: r.returns.totalReturn.median, label: 'median' },
              { at: r.returns.totalReturn.high, label: hi },
            ],
          }),
        },
      ],
    );
    writeFileSync(o.report, html);
    if (!o.quiet) out(`wrote ${o.report}\n`);
  }
  return 0;
}

export function registerMonteCarlo(program: Command): void {
  const cmd = program
    .command('montecarlo')
    .description(
      'confidence intervals of return, drawdown and Sharpe by trade resampling and block bootstrap',
    );
  addCommonOptions(cmd);
  cmd
    .option('--paths <n>', 'resampled paths per method', '1000')
    .option('--seed <n>', 'seed of the resampling', '1')
    .option('--level <p>', 'two-sided confidence level', '0.9')
    .option('--block-length <n>', 'returns per bootstrap block (default ⌈n^(1/3)⌉)')
    .addHelpText(
      'after',
      '\nExample:\n  tickerml montecarlo --data GOOG.csv --strategy sma-cross --param fast=10 --param slow=20 \\\n' +
        '      --paths 1000 --seed 7 --commission 0.002 --report mc.html\n',
    )
    .action((opts: MonteCarloCliOptions) => {
      process.exitCode = runMonteCarloCommand(opts);
    });
}
