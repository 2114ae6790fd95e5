import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type BarSeries, invalid } from '../model/index.js';
import { isoDate } from '../portfolio/timeseries.js';
import {
  type BarWindow,
  type OptimizeResult,
  type ParamSpace,
  type SearchMethod,
  type Trial,
  indexAtOrAfter,
  optimize,
  orient,
} from '../research/index.js';
import { startProgress, withProgress } from './progress.js';
import { barChart, heatmap, scatter } from './report/charts.js';
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

export interface OptimizeCliOptions extends SearchCliOptions {
  from?: string;
  to?: string;
  top: string;
}

/** Upper bound on the backtests a search will run, for the progress bar. */
export function expectedEvaluations(method: SearchMethod, space: ParamSpace): number {
  if (method.kind === 'grid') return space.grid().length;
  if (method.kind === 'random') return method.samples;
  return (method.population ?? 24) * (method.generations ?? 30);
}

function dateIndex(bars: BarSeries, flag: string, s: string, after: boolean): number {
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) throw invalid(flag, s, 'must be a date, e.g. 2012-12-31');
  return indexAtOrAfter(bars, ms * 1000 + (after ? 1 : 0));
}

/** --from/--to as a bar window (to inclusive of bars at that date); undefined = optimize's default. */
function windowOf(bars: BarSeries, o: OptimizeCliOptions): BarWindow | undefined {
  if (o.from === undefined && o.to === undefined) return undefined;
  const from = o.from !== undefined ? dateIndex(bars, '--from', o.from, false) : 0;
  const to = o.to !== undefined ? dateIndex(bars, '--to', o.to, true) : bars.length;
  if (to - from < 2)
    throw invalid('--from/--to', `${o.from ?? ''}…${o.to ?? ''}`, 'selects fewer than 2 bars');
  return { from, to };
}

/** Trials sorted best first on the first objective (ties keep evaluation order). */
export function ranked(r: OptimizeResult): Trial[] {
  const first = r.objectives.slice(0, 1);
  return r.trials
    .map((t, i) => ({ t, i, v: orient(t.metrics, first)[0]! }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map((x) => x.t);
}

/** Runs `tickerml optimize`; returns the exit code. */
export async function runOptimizeCommand(
  o: OptimizeCliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  const bars = loadBars(o);
  const spec = buildSpec(o);
  const space = buildSpace(o);
  const method = parseMethod(o);
  const objectives = parseObjectives(o.objective);
  const top = int('top', o.top, 1)!;
  const window = windowOf(bars, o);
  const t0 = performance.now();
  const runner = await makeRunner(o, bars, spec);
  const progress = startProgress('optimize', expectedEvaluations(method, space), o.quiet);
  let result: OptimizeResult;
  try {
    result = await optimize({
      bars,
      spec,
      space,
      method,
      objectives,
      ...quarantineOptions(o),
      ...(window ? { window } : {}),
      runner: withProgress(runner, progress, () => method.kind),
    });
  } finally {
    progress.stop();
    await runner.close();
  }
  const secs = (performance.now() - t0) / 1000;
  const onFront = new Set(result.front);
  const rows = ranked(result)
    .slice(0, top)
    .map((t) => [
      formatParams(t.params),
      dec(t.metrics.sharpe!),
      pct(t.metrics.totalReturn!),
      pct(t.metrics.maxDrawdown!),
      String(t.metrics.trades),
      onFront.has(t) ? '*' : '',
    ]);
  out(textTable(['params', 'sharpe', 'return', 'max drawdown', 'trades', 'front'], rows));
  out(`best (${result.objectives[0]!.metric}): ${formatParams(result.best.params)}\n`);
  if (!o.quiet) {
    const w = result.window;
    out(
      `${result.method} search, ${result.evaluations} backtests in ${secs.toFixed(1)} s on bars ${isoDate(bars.ts[w.from]!)} … ` +
        `${isoDate(bars.ts[w.to - 1]!)}; Pareto front ${result.front.length} of ${result.trials.length}; ` +
        `quarantine: ${result.quarantine.describe}\n`,
    );
  }
  if (o.json) {
    writeFileSync(o.json, toJson({ command: 'optimize', data: o.data, strategy: o.strategy, ...result }));
    if (!o.quiet) out(`wrote ${o.json}\n`);
  }
  if (o.report) {
    writeFileSync(o.report, optimizeReport(result, space, o));
    if (!o.quiet) out(`wrote ${o.report}\n`);
  }
  return 0;
}

const LABEL: Record<string, string> = {
  sharpe: 'Sharpe',
  totalReturn: 'return',
  maxDrawdown: 'max drawdown',
  trades: 'trades',
};

export function optimizeReport(r: OptimizeResult, space: ParamSpace, o: OptimizeCliOptions): string {
  const metric = r.objectives[0]!.metric;
  const searched = space.names.filter((n) => space.levels(n).length > 1);
  const value = (t: Trial) => t.metrics[metric] ?? Number.NaN;
  let surface: string;
  if (searched.length === 2) {
    const [xn, yn] = searched as [string, string];
    const xs = space.levels(xn);
    const ys = space.levels(yn);
    const byKey = new Map(r.trials.map((t) => [`${String(t.params[xn])}|${String(t.params[yn])}`, value(t)]));
    surface = heatmap(
      `${LABEL[metric] ?? metric} over ${xn} × ${yn}`,
      xs.map(String),
      ys.map(String),
      (i, j) => byKey.get(`${String(xs[i])}|${String(ys[j])}`) ?? Number.NaN,
      { xTitle: xn, yTitle: yn, metric: LABEL[metric] ?? metric },
    );
  } else {
    const best = ranked(r).slice(0, 30);
    surface = barChart(
      `${LABEL[metric] ?? metric} per candidate (best ${best.length})`,
      best.map((t) => formatParams(t.params)),
      [{ name: LABEL[metric] ?? metric, values: best.map(value) }],
      LABEL[metric] ?? metric,
    );
  }
  const [mx, my] =
    r.objectives.length >= 2 ? [r.objectives[1]!.metric, r.objectives[0]!.metric] : ['maxDrawdown', metric];
  const front = new Set(r.front);
  const pareto = scatter(
    `Pareto front: ${LABEL[my] ?? my} vs ${LABEL[mx] ?? mx}`,
    r.trials.map((t) => ({
      x: t.metrics[mx] ?? Number.NaN,
      y: t.metrics[my] ?? Number.NaN,
      label: `${formatParams(t.params)}: ${my} ${dec(t.metrics[my] ?? Number.NaN, 3)}, ${mx} ${dec(t.metrics[mx] ?? Number.NaN, 3)}`,
      highlight: front.has(t),
    })),
    { xTitle: LABEL[mx] ?? mx, yTitle: LABEL[my] ?? my },
  );
  const frontRows = r.front.map((t) => [
    formatParams(t.params),
    dec(t.metrics.sharpe!),
    pct(t.metrics.totalReturn!),
    pct(t.metrics.maxDrawdown!),
    String(t.metrics.trades),
  ]);
  return htmlPage(
    `tickerml optimize: ${o.strategy} on ${o.data}`,
    `${r.method} search, ${r.evaluations} backtests; best on ${metric}: ${formatParams(r.best.params)}. Quarantine: ${r.quarantine.describe}. ` +
      'An optimizer’s best overstates what the parameters will do out of sample: check it with walkforward and cpcv.',
    [
      { heading: 'Parameter surface', html: surface },
      {
        heading: 'Pareto front',
        html: pareto,
        note: `Objectives: ${r.objectives.map((x) => `${x.metric} (${x.goal})`).join(', ')}. The front is non-dominated on all of them; the plot shows two.`,
      },
      {
        heading: 'Front',
        html: htmlTable(['params', 'sharpe', 'return', 'max drawdown', 'trades'], frontRows),
      },
    ],
  );
}

export function registerOptimize(program: Command): void {
  const cmd = program
    .command('optimize')
    .description(
      'search a strategy’s parameters on the data before the quarantine (grid, random or genetic)',
    );
  addCommonOptions(cmd);
  addSearchOptions(cmd);
  cmd
    .option('--from <date>', 'first date to optimize on (default: the first bar)')
    .option('--to <date>', 'last date to optimize on (default: the last bar before the quarantine)')
    .option('--top <n>', 'rows of the table (best first)', '10')
    .addHelpText(
      'after',
      '\nExamples:\n  tickerml optimize --data GOOG.csv --strategy sma-cross --range fast=5:30:5 --range slow=10:100:10 \\\n' +
        '      --commission 0.002 --json opt.json --report opt.html\n' +
        '  tickerml optimize --data GOOG.csv --strategy sma-cross --range fast=5:50:1 --range slow=20:200:5 \\\n' +
        '      --method genetic --seed 7 --objective sharpe,drawdown\n',
    )
    .action(async (opts: OptimizeCliOptions) => {
      process.exitCode = await runOptimizeCommand(opts);
    });
}
