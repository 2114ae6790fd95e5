import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { readCsvBars } from '../data/csv-bars.js';
import { BacktestEngine } from '../engine/backtest.js';
import { type BarSeries, TickerError, defaultInstrument, invalid } from '../model/index.js';
import { renderReport, runRecordFromBacktest, runRecordToJson, tradesToJson } from '../report/index.js';
import { createStrategy, STRATEGIES } from '../strategies/index.js';
import { statsToJson } from '../portfolio/stats.js';
import { statsTable } from './format.js';

export interface BacktestCliOptions {
  data: string[];
  strategy: string;
  param: string[];
  cash: string;
  commission?: string;
  commissionFixed?: string;
  slippageBps?: string;
  fill: 'next-open' | 'close';
  compat?: 'backtesting.py';
  json?: string;
  report?: string;
  saveRun?: string;
  currency: string;
  lotSize: string;
  tickSize: string;
  finalize?: 'close' | 'none' | 'open';
  quiet?: boolean;
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw invalid(`--${name}`, v, 'must be a number');
  return x;
}

export function parseParams(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw invalid('--param', p, 'must look like name=value, e.g. --param fast=10');
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return out;
}

/** Runs `tickerml backtest`; returns the exit code. */
export function runBacktestCommand(
  o: BacktestCliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): number {
  if (!o.data?.length) throw invalid('--data', undefined, 'give at least one CSV file: --data FILE.csv');
  const t0 = performance.now();
  const strategy = createStrategy(o.strategy, parseParams(o.param ?? []));
  const engine = new BacktestEngine({
    cash: num('cash', o.cash)!,
    currency: o.currency,
    ...(o.commission !== undefined ? { commission: num('commission', o.commission)! } : { commission: 0 }),
    ...(o.commissionFixed !== undefined
      ? { commissionFixed: num('commission-fixed', o.commissionFixed)! }
      : {}),
    ...(o.slippageBps !== undefined ? { slippageBps: num('slippage-bps', o.slippageBps)! } : {}),
    fill: o.fill,
    ...(o.compat ? { compat: o.compat } : {}),
    ...(o.finalize ? { finalize: o.finalize } : {}),
  });
  const lot = num('lot-size', o.lotSize)!;
  const tick = num('tick-size', o.tickSize)!;
  let rows = 0;
  const seen = new Set<string>();
  const loaded: BarSeries[] = [];
  for (const file of o.data) {
    const { series } = readCsvBars(file);
    if (seen.has(series.instrumentId))
      throw invalid(
        '--data',
        file,
        `instrument ${series.instrumentId} was given twice (ids come from file names)`,
      );
    seen.add(series.instrumentId);
    rows += series.length;
    loaded.push(series);
    engine.addInstrument(
      defaultInstrument(series.instrumentId, {
        quote: o.currency,
        lotSize: lot,
        minQuantity: lot,
        tickSize: tick,
      }),
      series,
    );
  }
  engine.addStrategy(strategy);
  const result = engine.run();
  const secs = (performance.now() - t0) / 1000;
  out(`${statsTable(result.stats)}\n`);
  out(
    `_strategy`.padEnd(24) +
      `${o.strategy}(${Object.entries(strategy.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')})`.padStart(22) +
      '\n',
  );
  if (!o.quiet)
    out(`\n${rows.toLocaleString('en-US')} bars, ${result.fills.length} fills in ${secs.toFixed(2)} s\n`);
  if (o.json) {
    const trades = tradesToJson(result.trades, o.compat !== undefined);
    writeFileSync(o.json, JSON.stringify({ stats: statsToJson(result.stats), trades }, null, 2) + '\n');
    if (!o.quiet) out(`wrote ${o.json}\n`);
  }
  if (o.report || o.saveRun) {
    const { data, param: _p, json: _j, report: _r, saveRun: _s, quiet: _q, strategy: name, ...config } = o;
    const run = runRecordFromBacktest(result, loaded, {
      strategy: name,
      params: strategy.params as Record<string, unknown>,
      data,
      config,
      compat: o.compat !== undefined,
    });
    if (o.saveRun) writeFileSync(o.saveRun, runRecordToJson(run) + '\n');
    if (o.report) writeFileSync(o.report, renderReport(run));
    if (!o.quiet) for (const f of [o.saveRun, o.report]) if (f) out(`wrote ${f}\n`);
  }
  return 0;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('run a strategy over bars from CSV files and print its statistics')
    .requiredOption(
      '--data <file...>',
      'CSV file(s) of bars, one instrument each (id = file name); repeat for many',
    )
    .requiredOption('--strategy <name>', `strategy to run (${[...STRATEGIES.keys()].join(', ')})`)
    .option(
      '--param <name=value>',
      'strategy parameter (repeatable), e.g. --param fast=10',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--cash <amount>', 'starting cash', '10000')
    .option('--commission <rate>', 'commission per fill as a fraction of notional, e.g. 0.002 = 0.2%')
    .option('--commission-fixed <amount>', 'fixed commission per fill')
    .option('--slippage-bps <n>', 'adverse slippage on market and stop fills, in basis points')
    .addOption(
      new Option('--fill <when>', 'market orders fill at the next bar open or this bar close')
        .choices(['next-open', 'close'])
        .default('next-open'),
    )
    .addOption(
      new Option('--compat <engine>', "reproduce another engine's fills and statistics").choices([
        'backtesting.py',
      ]),
    )
    .addOption(
      new Option(
        '--finalize <how>',
        'open positions at the end: close at last close, open at last open, or none',
      ).choices(['close', 'none', 'open']),
    )
    .option('--currency <code>', 'account and quote currency', 'USD')
    .option('--lot-size <n>', 'quantity increment (1 = whole units; 0.001 for crypto)', '1')
    .option('--tick-size <n>', 'price increment', '0.00000001')
    .option('--json <file>', 'write { "stats": {…}, "trades": […] } to FILE')
    .option('--report <file>', 'write a self-contained HTML report (charts, trades, risk events) to FILE')
    .option(
      '--save-run <file>',
      'write the run record (stats, trades, equity, risk events) for `tickerml report`',
    )
    .option('--quiet', 'print only the statistics')
    .addHelpText(
      'after',
      '\nExamples:\n  tickerml backtest --data GOOG.csv --strategy sma-cross --param fast=10 --param slow=20 --cash 10000 --commission 0.002\n' +
        '  tickerml backtest --data GOOG.csv --strategy sma-cross --param short=true --compat backtesting.py --json out.json\n',
    )
    .action((opts: BacktestCliOptions) => {
      process.exitCode = runBacktestCommand(opts);
    });
}

export { TickerError };
