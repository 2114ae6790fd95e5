import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalid } from '../model/index.js';
import { type WalkForwardResult, quarantineOf, walkForward, walkForwardWindows } from '../research/index.js';
import { expectedEvaluations } from './optimize.js';
import { startProgress, withProgress } from './progress.js';
import { barChart, lineChart } from './report/charts.js';
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
  makeRunner,
  parseMethod,
  parseObjectives,
  quarantineOptions,
  toJson,
} from './research-args.js';
import { dec, pct, textTable } from './table.js';

export interface WalkForwardCliOptions extends SearchCliOptions {
  inSample?: string;
  outOfSample?: string;
  anchored?: boolean;
}

/** Runs `tickerml walkforward`; returns the exit code. */
export async function runWalkForwardCommand(
  o: WalkForwardCliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  if (o.inSample === undefined)
    throw invalid('--in-sample', undefined, 'give the in-sample length in bars, e.g. --in-sample 500');
  if (o.outOfSample === undefined)
    throw invalid(
      '--out-of-sample',
      undefined,
      'give the out-of-sample length in bars, e.g. --out-of-sample 250',
    );
  const inSampleBars = int('in-sample', o.inSample, 2)!;
  const outOfSampleBars = int('out-of-sample', o.outOfSample, 2)!;
  const mode = o.anchored ? 'anchored' : 'rolling';
  const bars = loadBars(o);
  const spec = buildSpec(o);
  const space = buildSpace(o);
  const method = parseMethod(o);
  const objectives = parseObjectives(o.objective);
  const qo = quarantineOptions(o);
  // The windows are known up front (walkForward refuses with a clear message when none fits).
  const nWindows = walkForwardWindows(
    quarantineOf(bars, qo).usableEnd,
    inSampleBars,
    outOfSampleBars,
    mode,
  ).length;
  const t0 = performance.now();
  const runner = await makeRunner(o, bars, spec);
  const progress = startProgress('walk-forward', nWindows * expectedEvaluations(method, space), o.quiet);
  let windowNo = 1;
  let seen = 0;
  const per = expectedEvaluations(method, space);
  let result: WalkForwardResult;
  try {
    result = await walkForward({
      bars,
      spec,
      space,
      method,
      objectives,
      inSampleBars,
      outOfSampleBars,
      mode,
      ...qo,
      runner: withProgress(runner, progress, () => {
        seen++;
        windowNo = Math.min(nWindows, Math.floor((seen - 1) / Math.max(1, per)) + 1);
        return `window ${windowNo}/${nWindows}`;
      }),
    });
  } finally {
    progress.stop();
    await runner.close();
  }
  const secs = (performance.now() - t0) / 1000;
  const rows = result.windows.map((w, i) => [
    String(i + 1),
    `${w.dates.inSample[0].slice(0, 10)} … ${w.dates.inSample[1].slice(0, 10)}`,
    `${w.dates.outOfSample[0].slice(0, 10)} … ${w.dates.outOfSample[1].slice(0, 10)}`,
    formatParams(w.params),
    dec(w.inSampleMetrics.sharpe),
    dec(w.outOfSampleMetrics.sharpe),
    pct(w.outOfSampleMetrics.totalReturn),
  ]);
  out(
    textTable(['#', 'in-sample', 'out-of-sample', 'chosen', 'IS sharpe', 'OOS sharpe', 'OOS return'], rows),
  );
  const d = result.degradation;
  out(
    `mean sharpe in-sample ${dec(d.inSampleSharpe)} → out-of-sample ${dec(d.outOfSampleSharpe)} (ratio ${dec(d.sharpeRatio)}); ` +
      `walk-forward efficiency ${dec(d.efficiency)}\n` +
      `stitched out-of-sample: sharpe ${dec(result.outOfSample.sharpe)}, return ${pct(result.outOfSample.totalReturn)}, ` +
      `max drawdown ${pct(result.outOfSample.maxDrawdown)}, ${result.outOfSample.trades} trades\n` +
      `stability: ${Object.entries(result.stability)
        .filter(([, s]) => new Set(s.values).size > 1 || result.windows.length === 1)
        .map(([k, s]) => `${k} ${s.values.join(',')}${s.cv !== undefined ? ` (cv ${dec(s.cv)})` : ''}`)
        .join('; ')}\n`,
  );
  if (!o.quiet)
    out(
      `${mode} walk-forward, ${result.windows.length} windows in ${secs.toFixed(1)} s; quarantine: ${result.quarantine.describe}\n`,
    );
  if (o.json) {
    writeFileSync(
      o.json,
      toJson({ command: 'walkforward', data: o.data, strategy: o.strategy, mode, ...result }),
    );
    if (!o.quiet) out(`wrote ${o.json}\n`);
  }
  if (o.report) {
    writeFileSync(o.report, walkForwardReport(result, bars.ts, o, mode));
    if (!o.quiet) out(`wrote ${o.report}\n`);
  }
  return 0;
}

export function walkForwardReport(
  r: WalkForwardResult,
  ts: Float64Array,
  o: WalkForwardCliOptions,
  mode: string,
): string {
  const spans = r.windows.flatMap((w, i) => [
    {
      from: ts[w.outOfSample.from]!,
      to: ts[w.outOfSample.to - 1]!,
      label: `window ${i + 1} out of sample`,
      color: i % 2 ? '#2ca02c' : '#98df8a',
    },
  ]);
  const isSpan = r.windows[0]
    ? [
        {
          from: ts[r.windows[0].inSample.from]!,
          to: ts[r.windows[0].inSample.to - 1]!,
          label: 'first in-sample window',
          color: '#aaaaaa',
        },
      ]
    : [];
  const equity = lineChart(
    'Stitched out-of-sample equity',
    [{ name: 'out-of-sample equity', x: r.stitched.ts, y: r.stitched.equity }],
    { yTitle: 'equity', spans: [...isSpan, ...spans] },
  );
  const labels = r.windows.map((_, i) => `#${i + 1}`);
  const sharpes = barChart(
    'Sharpe per window: in-sample (optimized) vs out-of-sample',
    labels,
    [
      { name: 'in-sample', values: r.windows.map((w) => w.inSampleMetrics.sharpe) },
      { name: 'out-of-sample', values: r.windows.map((w) => w.outOfSampleMetrics.sharpe) },
    ],
    'Sharpe',
  );
  const rows = r.windows.map((w, i) => [
    String(i + 1),
    `${w.dates.inSample[0].slice(0, 10)} … ${w.dates.inSample[1].slice(0, 10)}`,
    `${w.dates.outOfSample[0].slice(0, 10)} … ${w.dates.outOfSample[1].slice(0, 10)}`,
    formatParams(w.params),
    dec(w.inSampleMetrics.sharpe),
    dec(w.outOfSampleMetrics.sharpe),
  ]);
  const d = r.degradation;
  return htmlPage(
    `tickerml walkforward: ${o.strategy} on ${o.data}`,
    `${mode}, ${r.windows.length} windows. Mean Sharpe in-sample ${dec(d.inSampleSharpe)} → out-of-sample ${dec(d.outOfSampleSharpe)}; ` +
      `walk-forward efficiency ${dec(d.efficiency)}; stitched out-of-sample Sharpe ${dec(r.outOfSample.sharpe)}, return ${pct(r.outOfSample.totalReturn)}. ` +
      `Quarantine: ${r.quarantine.describe}.`,
    [
      {
        heading: 'Out-of-sample equity',
        html: equity,
        note: 'Green: the out-of-sample windows, chained end to end. Grey: the first in-sample window.',
      },
      { heading: 'In-sample vs out-of-sample Sharpe', html: sharpes },
      {
        heading: 'Windows',
        html: htmlTable(['#', 'in-sample', 'out-of-sample', 'chosen', 'IS sharpe', 'OOS sharpe'], rows),
      },
    ],
  );
}

export function registerWalkForward(program: Command): void {
  const cmd = program
    .command('walkforward')
    .description(
      'optimize on rolling (or anchored) in-sample windows, trade each choice out of sample, stitch',
    );
  addCommonOptions(cmd);
  addSearchOptions(cmd);
  cmd
    .option('--in-sample <bars>', 'bars each optimization sees (the first one, with --anchored)')
    .option('--out-of-sample <bars>', 'bars each chosen parameter set is traded on')
    .option('--anchored', 'keep every in-sample window starting at the first bar')
    .addHelpText(
      'after',
      '\nExample:\n  tickerml walkforward --data GOOG.csv --strategy sma-cross --range fast=5:50:5 --range slow=20:200:20 \\\n' +
        '      --in-sample 500 --out-of-sample 250 --commission 0.002 --report wf.html\n',
    )
    .action(async (opts: WalkForwardCliOptions) => {
      process.exitCode = await runWalkForwardCommand(opts);
    });
}
