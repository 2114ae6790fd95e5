import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { type DatedSeries, parseSeriesCsv } from '../data/series-csv.js';
import { TickerError, invalid } from '../model/index.js';
import { returnsFromEquity } from '../portfolio/analytics.js';
import {
  FRACTION_METRICS,
  METRIC_KEYS,
  type MetricKey,
  type Metrics,
  alignOnDates,
  forwardFillOnDates,
  inferPeriodsPerYear,
  performanceMetrics,
} from '../portfolio/performance.js';
import { annualization, computeStats } from '../portfolio/stats.js';
import { isoDate, median } from '../portfolio/timeseries.js';
import { renderSeriesReport } from '../report/index.js';
import { dec, pct, textTable } from './table.js';

export interface AnalyzeOptions {
  returns?: string;
  equity?: string;
  benchmark?: string;
  periodsPerYear?: string;
  riskFree?: string;
  requiredReturn?: string;
  json?: string;
  report?: string;
  compat?: string;
  quiet?: boolean;
}

/** The keys `--compat backtesting.py` takes from backtesting.py's statistics (src/portfolio/stats.ts). */
const COMPAT_KEYS: Readonly<Partial<Record<MetricKey, { stat: string; scale: number }>>> = {
  total_return: { stat: 'Return [%]', scale: 0.01 },
  annual_return: { stat: 'Return (Ann.) [%]', scale: 0.01 },
  annual_volatility: { stat: 'Volatility (Ann.) [%]', scale: 0.01 },
  sharpe: { stat: 'Sharpe Ratio', scale: 1 },
  sortino: { stat: 'Sortino Ratio', scale: 1 },
  calmar: { stat: 'Calmar Ratio', scale: 1 },
  max_drawdown: { stat: 'Max. Drawdown [%]', scale: 0.01 },
  alpha: { stat: 'Alpha [%]', scale: 0.01 },
  beta: { stat: 'Beta', scale: 1 },
};

/** backtesting.py statistics that mean something without trades. */
const COMPAT_STATS = [
  'Start',
  'End',
  'Duration',
  'Equity Final [$]',
  'Equity Peak [$]',
  'Return [%]',
  'Buy & Hold Return [%]',
  'Return (Ann.) [%]',
  'Volatility (Ann.) [%]',
  'CAGR [%]',
  'Sharpe Ratio',
  'Sortino Ratio',
  'Calmar Ratio',
  'Alpha [%]',
  'Beta',
  'Max. Drawdown [%]',
  'Avg. Drawdown [%]',
  'Max. Drawdown Duration',
  'Avg. Drawdown Duration',
];

function readSeries(file: string, want: 'return' | 'level' | 'any'): DatedSeries {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TickerError('NO_FILE', `${file}: cannot read (${(e as Error).message})`, { cause: e });
  }
  return parseSeriesCsv(text, file, want);
}

function rate(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= -1)
    throw invalid(flag, v, 'must be an annual rate as a fraction greater than -1 (0.02 = 2%)');
  return x;
}

/** Returns and an equity curve from either kind of file; a returns file's curve starts at 1 one period early. */
function toBoth(s: DatedSeries): {
  retTs: number[];
  returns: number[];
  eqTs: number[];
  equity: number[];
} {
  if (s.kind === 'level')
    return {
      retTs: s.ts.slice(1),
      returns: returnsFromEquity(s.values),
      eqTs: [...s.ts],
      equity: [...s.values],
    };
  const d: number[] = [];
  for (let i = 1; i < s.ts.length; i++) d.push(s.ts[i]! - s.ts[i - 1]!);
  const step = d.length ? median(d) : 86_400_000_000;
  const eqTs = [s.ts[0]! - step, ...s.ts];
  const equity = [1];
  for (const r of s.values) equity.push(equity[equity.length - 1]! * (1 + (Number.isNaN(r) ? 0 : r)));
  return { retTs: [...s.ts], returns: [...s.values], eqTs, equity };
}

/** A date as written in the files: the day alone when it is midnight UTC. */
const day = (us: number) => isoDate(us).replace(/ 00:00:00$/, '');
const fmt = (k: MetricKey, v: number) => (FRACTION_METRICS.has(k) ? pct(v) : dec(v, 4));
const jsonNum = (v: number) => (Number.isFinite(v) ? v : null);

/** What each metric means, one line each (the table's third column). */
const MEANING: Readonly<Record<MetricKey, string>> = {
  total_return: 'Π(1 + r) − 1',
  annual_return: 'geometric: (1 + total)^(ppy / n) − 1',
  annual_volatility: 'sample std × √ppy',
  sharpe: 'mean(r − rf) / std × √ppy',
  sortino: 'mean(r − req) × ppy / downside risk',
  calmar: 'annual return / |max drawdown|',
  omega: 'Σ gains / Σ losses around rf + req',
  max_drawdown: 'worst fall from a peak',
  downside_risk: '√mean(min(r − req, 0)²) × √ppy',
  stability: 'R² of cumulative log returns on time',
  tail_ratio: '|95th pct| / |5th pct|',
  var_95: '5% quantile of r',
  cvar_95: 'mean of r ≤ VaR',
  information_ratio: 'mean(r − b) / std(r − b), per period',
  tracking_error: 'std(r − b) × √ppy',
  alpha: 'compounded: (1 + mean α)^ppy − 1',
  beta: 'cov(r − rf, b) / var(b)',
};

/** Runs `tickerml analyze`; returns the exit code. */
export function runAnalyzeCommand(
  o: AnalyzeOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): number {
  if ((o.returns === undefined) === (o.equity === undefined))
    throw invalid(
      '--returns/--equity',
      o.returns ?? o.equity ?? null,
      'give exactly one of --returns FILE.csv (date,return) or --equity FILE.csv (date,equity)',
    );
  if (o.compat !== undefined && o.compat !== 'backtesting.py')
    throw invalid('--compat', o.compat, 'the only compatibility mode is backtesting.py');
  const file = (o.returns ?? o.equity)!;
  const series = readSeries(file, o.returns !== undefined ? 'return' : 'level');
  const { retTs, returns, eqTs, equity } = toBoth(series);
  if (returns.length === 0) throw new TickerError('BAD_CSV', `${file}: one equity value makes no return`);
  const riskFree = rate('--risk-free', o.riskFree) ?? 0;
  const requiredReturn = rate('--required-return', o.requiredReturn) ?? 0;

  let ppy: number;
  let ppyReason: string;
  if (o.periodsPerYear !== undefined) {
    ppy = Number(o.periodsPerYear);
    if (!(ppy > 0) || !Number.isFinite(ppy))
      throw invalid('--periods-per-year', o.periodsPerYear, 'must be a positive number');
    ppyReason = 'given with --periods-per-year';
  } else {
    const inferred = inferPeriodsPerYear(o.returns !== undefined ? retTs : eqTs);
    ppy = inferred.periodsPerYear;
    ppyReason = `inferred from the dates: ${inferred.reason}`;
  }

  let benchReturns: number[] | undefined;
  let benchLevels: number[] | undefined;
  let bench: DatedSeries | undefined;
  if (o.benchmark !== undefined) {
    bench = readSeries(o.benchmark, 'any');
    const b = toBoth(bench);
    benchReturns = alignOnDates(retTs, b.retTs, b.returns);
    if (!benchReturns.some((x) => !Number.isNaN(x)))
      throw new TickerError(
        'NO_OVERLAP',
        `${o.benchmark}: no ${bench.kind === 'level' ? 'return' : 'date'} on the same date as ${file}'s (dates are matched exactly)`,
      );
    benchLevels = forwardFillOnDates(eqTs, b.eqTs, b.equity);
  }

  const metrics: Metrics = performanceMetrics({
    returns,
    benchmark: benchReturns,
    periodsPerYear: ppy,
    riskFree,
    requiredReturn,
  });
  const compat = o.compat === 'backtesting.py';
  let bt: Record<string, number | string> | undefined;
  let btPpy: number | undefined;
  if (compat) {
    const s = computeStats({
      ts: eqTs,
      equity,
      trades: [],
      benchmark: benchLevels ?? new Array<number>(eqTs.length).fill(Number.NaN),
      riskFreeRate: riskFree,
    });
    bt = {};
    for (const k of COMPAT_STATS) if (k in s) bt[k] = s[k]!;
    for (const [k, m] of Object.entries(COMPAT_KEYS) as [MetricKey, { stat: string; scale: number }][]) {
      const v = s[m.stat];
      metrics[k] = typeof v === 'number' ? v * m.scale : Number.NaN;
    }
    btPpy = annualization(eqTs).periodsPerYear;
  }

  const missing = returns.filter((x) => Number.isNaN(x)).length;
  if (!o.quiet) {
    const lines = [
      `${file}: ${returns.length} returns${missing ? ` (${missing} missing, dropped)` : ''}, ${day(retTs[0]!)} to ${day(retTs[retTs.length - 1]!)}`,
      `periods per year: ${ppy} (${ppyReason})`,
      compat
        ? `conventions: backtesting.py (src/portfolio/stats.ts) for ${Object.keys(COMPAT_KEYS).join(', ')}, annualized with its own rule (${btPpy} periods a year); empyrical for the rest`
        : 'conventions: empyrical (missing values dropped, sample std, geometric annual return)',
      `risk-free ${pct(riskFree)} a year, required return ${pct(requiredReturn)} a year${bench ? `, benchmark ${o.benchmark}` : ''}`,
      '',
      textTable(
        ['metric', 'value', 'definition'],
        METRIC_KEYS.map((k) => [
          k,
          fmt(k, metrics[k]),
          compat && COMPAT_KEYS[k] ? `backtesting.py "${COMPAT_KEYS[k].stat}"` : MEANING[k],
        ]),
      ),
    ];
    out(lines.join('\n'));
  }

  if (o.json) {
    const doc = {
      source: file,
      kind: series.kind === 'return' ? 'returns' : 'equity',
      benchmark: o.benchmark ?? null,
      compat: compat ? 'backtesting.py' : null,
      start: day(retTs[0]!),
      end: day(retTs[retTs.length - 1]!),
      returns: returns.length,
      missing,
      periods_per_year: ppy,
      periods_per_year_source: ppyReason,
      risk_free: riskFree,
      required_return: requiredReturn,
      metrics: Object.fromEntries(METRIC_KEYS.map((k) => [k, jsonNum(metrics[k])])),
      ...(bt
        ? {
            stats: Object.fromEntries(
              Object.entries(bt).map(([k, v]) => [k, typeof v === 'number' ? jsonNum(v) : v]),
            ),
          }
        : {}),
    };
    writeFileSync(o.json, JSON.stringify(doc, null, 2) + '\n');
    if (!o.quiet) out(`wrote ${o.json}\n`);
  }

  if (o.report) {
    const html = renderSeriesReport({
      source: basename(file),
      ts: eqTs,
      equity,
      benchmark: benchLevels && bench ? { name: basename(bench.file), levels: benchLevels } : undefined,
      stats: Object.fromEntries(
        METRIC_KEYS.map((k) => [
          FRACTION_METRICS.has(k) ? `${k} [%]` : k,
          jsonNum(FRACTION_METRICS.has(k) ? metrics[k] * 100 : metrics[k]),
        ]),
      ),
      kpis: [
        { label: 'Total return', value: pct(metrics.total_return), cls: sign(metrics.total_return) },
        { label: 'Ann. return', value: pct(metrics.annual_return), cls: sign(metrics.annual_return) },
        { label: 'Ann. volatility', value: pct(metrics.annual_volatility) },
        { label: 'Sharpe', value: dec(metrics.sharpe) },
        { label: 'Sortino', value: dec(metrics.sortino) },
        { label: 'Max drawdown', value: pct(metrics.max_drawdown), cls: 'neg' },
      ],
      note: `${ppy} periods a year (${ppyReason}); ${compat ? 'backtesting.py' : 'empyrical'} conventions.`,
    });
    writeFileSync(o.report, html);
    if (!o.quiet) out(`wrote ${o.report}\n`);
  }
  return 0;
}

const sign = (x: number) => (x > 0 ? 'pos' : x < 0 ? 'neg' : '');

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description(
      "performance metrics (Sharpe, Sortino, drawdown, VaR, alpha/beta, …) of a returns or equity CSV: a broker's statement or another tool's equity curve",
    )
    .option(
      '--returns <file>',
      'CSV with columns date,return (fractions: 0.01 = 1%; an empty return is missing)',
    )
    .option('--equity <file>', 'CSV with columns date,equity (or value, nav, close, price)')
    .option('--benchmark <file>', 'CSV of date,return or date,close for information ratio, alpha and beta')
    .option('--periods-per-year <n>', 'annualization (default: inferred from the date spacing, and printed)')
    .option('--risk-free <rate>', 'annual risk-free rate as a fraction (default 0)')
    .option(
      '--required-return <rate>',
      'annual required return for Omega, Sortino, downside risk (default 0)',
    )
    .option('--json <file>', 'write { "metrics": { … } } (fractions, NaN/∞ as null)')
    .option('--report <file>', 'write a self-contained HTML report')
    .option(
      '--compat <mode>',
      'backtesting.py: its definitions of the metrics it has (src/portfolio/stats.ts)',
    )
    .option('--quiet', 'print nothing')
    .addHelpText(
      'after',
      '\nExamples:\n  tickerml analyze --returns statement.csv --benchmark spy.csv --json metrics.json\n  tickerml analyze --equity equity.csv --report perf.html --compat backtesting.py\n',
    )
    .action((opts: AnalyzeOptions) => {
      process.exitCode = runAnalyzeCommand(opts);
    });
}
