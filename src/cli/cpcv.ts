import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type CpcvResult, cpcv } from '../research/index.js';
import { startProgress } from './progress.js';
import { barChart, histogram } from './report/charts.js';
import { htmlPage, htmlTable } from './report/page.js';
import {
  type SearchCliOptions,
  addCommonOptions,
  addSearchOptions,
  buildSpace,
  buildSpec,
  formatParams,
  int,
  loadBars,
  quarantineOptions,
  toJson,
} from './research-args.js';
import { dec, pct, textTable } from './table.js';

export interface CpcvCliOptions extends Omit<SearchCliOptions, 'method' | 'seed' | 'objective'> {
  groups: string;
  testGroups: string;
  embargo?: string;
  labelHorizon?: string;
  pboPartitions?: string;
}

/** Runs `tickerml cpcv`; returns the exit code. */
export function runCpcvCommand(
  o: CpcvCliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): number {
  const bars = loadBars(o);
  const spec = buildSpec(o);
  const space = buildSpace(o);
  const groups = int('groups', o.groups, 2)!;
  const testGroups = int('test-groups', o.testGroups, 1)!;
  const embargo = int('embargo', o.embargo, 0);
  const horizon = int('label-horizon', o.labelHorizon, 0);
  const pbo = int('pbo-partitions', o.pboPartitions, 2);
  const candidates = space.grid();
  const t0 = performance.now();
  // cpcv() backtests every candidate synchronously: the bar shows the work, it cannot move until the end.
  const progress = startProgress('cpcv', candidates.length, o.quiet);
  let r: CpcvResult;
  try {
    r = cpcv({
      bars,
      spec,
      space,
      candidates,
      groups,
      testGroups,
      ...(embargo !== undefined ? { embargoBars: embargo } : {}),
      ...(horizon !== undefined ? { labelHorizonBars: horizon } : {}),
      ...(pbo !== undefined ? { pboPartitions: pbo } : {}),
      ...quarantineOptions(o),
    });
    progress.tick(candidates.length);
  } finally {
    progress.stop();
  }
  const secs = (performance.now() - t0) / 1000;
  out(
    textTable(
      ['path', 'sharpe', 'return'],
      r.paths.map((p, i) => [String(i + 1), dec(p.sharpe), pct(p.totalReturn)]),
    ),
  );
  const s = r.pathSharpe;
  out(
    `path sharpe: mean ${dec(s.mean)}, sd ${dec(s.sd)}, min ${dec(s.min)}, median ${dec(s.median)}, max ${dec(s.max)}\n` +
      `PBO ${dec(r.pbo.pbo)} (probability the in-sample best ranks in the bottom half out of sample)\n` +
      `selected on all usable bars: ${formatParams(r.selected.params)}, sharpe ${dec(r.selected.sharpe)}, ` +
      `deflated sharpe ${dec(r.selected.deflated.dsr, 3)} after ${r.candidates} trials\n`,
  );
  if (!o.quiet)
    out(
      `${r.candidates} candidates, ${r.splits} splits (N=${groups}, k=${testGroups}), ${r.paths.length} paths in ${secs.toFixed(1)} s; ` +
        `quarantine: ${r.quarantine.describe}\n`,
    );
  if (o.json) {
    writeFileSync(
      o.json,
      toJson({ command: 'cpcv', data: o.data, strategy: o.strategy, groups, testGroups, ...r }),
    );
    if (!o.quiet) out(`wrote ${o.json}\n`);
  }
  if (o.report) {
    writeFileSync(o.report, cpcvReport(r, o, groups, testGroups));
    if (!o.quiet) out(`wrote ${o.report}\n`);
  }
  return 0;
}

export function cpcvReport(r: CpcvResult, o: CpcvCliOptions, groups: number, testGroups: number): string {
  const sharpes = r.paths.map((p) => p.sharpe);
  const hist = histogram('Distribution of out-of-sample path Sharpe', sharpes, {
    xTitle: 'annualized Sharpe of a path',
    markers: [
      { at: r.pathSharpe.mean, label: `mean ${dec(r.pathSharpe.mean)}` },
      { at: r.selected.sharpe, label: `full-sample best ${dec(r.selected.sharpe)}` },
    ],
  });
  const bars = barChart(
    'Sharpe per path',
    r.paths.map((_, i) => `path ${i + 1}`),
    [{ name: 'Sharpe', values: sharpes }],
    'Sharpe',
  );
  const chosen = r.chosen.map((p, i) => [String(i + 1), formatParams(p)]);
  return htmlPage(
    `tickerml cpcv: ${o.strategy} on ${o.data}`,
    `Combinatorial purged cross-validation, N=${groups}, k=${testGroups}: ${r.splits} splits, ${r.paths.length} paths, ${r.candidates} candidates. ` +
      `PBO ${dec(r.pbo.pbo)}; deflated Sharpe of ${formatParams(r.selected.params)} ${dec(r.selected.deflated.dsr, 3)}. ` +
      `Quarantine: ${r.quarantine.describe}.`,
    [
      { heading: 'Path Sharpe distribution', html: hist },
      { heading: 'Paths', html: bars },
      {
        heading: 'Chosen per split',
        html: htmlTable(['split', 'parameters chosen on its training bars'], chosen),
      },
    ],
  );
}

export function registerCpcv(program: Command): void {
  const cmd = program
    .command('cpcv')
    .description(
      'combinatorial purged cross-validation of a parameter grid: path Sharpe distribution, PBO, deflated Sharpe',
    );
  addCommonOptions(cmd);
  addSearchOptions(cmd, false);
  cmd
    .option('--groups <n>', 'N contiguous groups', '6')
    .option('--test-groups <n>', 'k test groups per split', '2')
    .option('--embargo <bars>', 'bars embargoed after each test block (default 1% of the bars)')
    .option('--label-horizon <bars>', 'bars ahead each bar’s return depends on (default 1)')
    .option('--pbo-partitions <n>', 'row blocks for the PBO (even, default 10)')
    .addHelpText(
      'after',
      '\nExample:\n  tickerml cpcv --data GOOG.csv --strategy sma-cross --range fast=5:50:5 --range slow=20:200:20 \\\n' +
        '      --groups 6 --test-groups 2 --commission 0.002 --report cpcv.html\n',
    )
    .action((opts: CpcvCliOptions) => {
      process.exitCode = runCpcvCommand(opts);
    });
}
