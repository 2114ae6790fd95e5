import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { loadRiskLimits } from '../adapters/system/risk-limits.js';
import { readCsvBars } from '../data/csv-bars.js';
import { BacktestEngine, type BacktestResult } from '../engine/backtest.js';
import { type Sleeve, type SleeveAttribution, combineSleeves } from '../engine/sleeves.js';
import { type BarSeries, TickerError, defaultInstrument, invalid } from '../model/index.js';
import { renderReport, runRecordFromBacktest, runRecordToJson, tradesToJson } from '../report/index.js';
import { createStrategy, STRATEGIES } from '../strategies/index.js';
import { statsToJson } from '../portfolio/stats.js';
import { statsTable } from './format.js';
import { parseStrategySpecs } from './strategy-args.js';
import { textTable } from './table.js';

export interface BacktestCliOptions {
  data: string[];
  /** One name, or several (`--strategy` is repeatable; `NAME:LABEL` labels a run). */
  strategy: string | string[];
  param: string[];
  /** `ID=share` per strategy (repeatable). */
  allocation?: string[];
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
  /** A risk limits YAML (config/risk_limits.yaml layout); without it, the permissive backtest profile. */
  riskConfig?: string;
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

interface Loaded {
  readonly series: BarSeries[];
  readonly rows: number;
}

function loadData(o: BacktestCliOptions): Loaded {
  let rows = 0;
  const seen = new Set<string>();
  const series: BarSeries[] = [];
  for (const file of o.data) {
    const { series: s } = readCsvBars(file);
    if (seen.has(s.instrumentId))
      throw invalid(
        '--data',
        file,
        `instrument ${s.instrumentId} was given twice (ids come from file names)`,
      );
    seen.add(s.instrumentId);
    rows += s.length;
    series.push(s);
  }
  return { series, rows };
}

function buildEngine(o: BacktestCliOptions, cash: number, series: readonly BarSeries[]): BacktestEngine {
  const engine = new BacktestEngine({
    cash,
    currency: o.currency,
    ...(o.commission !== undefined ? { commission: num('commission', o.commission)! } : { commission: 0 }),
    ...(o.commissionFixed !== undefined
      ? { commissionFixed: num('commission-fixed', o.commissionFixed)! }
      : {}),
    ...(o.slippageBps !== undefined ? { slippageBps: num('slippage-bps', o.slippageBps)! } : {}),
    fill: o.fill,
    ...(o.compat ? { compat: o.compat } : {}),
    ...(o.finalize ? { finalize: o.finalize } : {}),
    ...(o.riskConfig !== undefined ? { risk: loadRiskLimits(o.riskConfig) } : {}),
  });
  const lot = num('lot-size', o.lotSize)!;
  const tick = num('tick-size', o.tickSize)!;
  for (const s of series)
    engine.addInstrument(
      defaultInstrument(s.instrumentId, {
        quote: o.currency,
        lotSize: lot,
        minQuantity: lot,
        tickSize: tick,
      }),
      s,
    );
  return engine;
}

const money = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'NaN');

/** The per-strategy table printed under the combined statistics. */
export function attributionTable(a: readonly SleeveAttribution[], unallocatedCash: number): string {
  const rows = a.map((s) => [
    s.id,
    `${(s.allocation * 100).toFixed(1)}%`,
    money(s.startingCash),
    money(s.finalEquity),
    money(s.pnl),
    money(s.returnPct),
    money(s.contributionPct),
    money(s.fees),
    String(s.trades),
    money(s.winRatePct),
    money(s.maxDrawdownPct),
  ]);
  const head = [
    'strategy',
    'alloc',
    'cash',
    'equity',
    'P&L',
    'return %',
    'contrib %',
    'fees',
    'trades',
    'win %',
    'max DD %',
  ];
  const tail = unallocatedCash > 1e-9 ? `(${money(unallocatedCash)} unallocated, held as cash)\n` : '';
  return textTable(head, rows) + tail;
}

/** Runs `tickerml backtest`; returns the exit code. */
export function runBacktestCommand(
  o: BacktestCliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): number {
  if (!o.data?.length) throw invalid('--data', undefined, 'give at least one CSV file: --data FILE.csv');
  const t0 = performance.now();
  const names = typeof o.strategy === 'string' ? [o.strategy] : (o.strategy ?? []);
  const specs = parseStrategySpecs(names, o.param ?? [], o.allocation ?? []);
  const strategies = specs.map((s) => createStrategy(s.name, s.params, s.id));
  const total = num('cash', o.cash)!;
  const { series: loaded, rows } = loadData(o);
  const sleeves: Sleeve[] = specs.map((spec, i) => {
    const cash = total * spec.allocation;
    const engine = buildEngine(o, cash, loaded);
    engine.addStrategy(strategies[i]!);
    return { id: spec.id, allocation: spec.allocation, cash, result: engine.run() };
  });
  const compat = o.compat !== undefined;
  const combined = combineSleeves(sleeves, { totalCash: total, tradesNetOfFees: !compat });
  // One strategy on all the cash is one ordinary run: its own result, untouched.
  const single = sleeves.length === 1 && specs[0]!.allocation === 1 ? sleeves[0]!.result : undefined;
  const result: BacktestResult = single ?? {
    ...sleeves[0]!.result,
    stats: combined.stats,
    ts: combined.ts,
    equity: combined.equity,
    trades: combined.trades,
    fills: combined.fills,
    orders: sleeves.flatMap((s) => s.result.orders),
    riskEvents: combined.riskEvents,
    bars: sleeves[0]!.result.bars,
    benchmark: combined.benchmark,
    warmup: combined.warmup,
  };
  const secs = (performance.now() - t0) / 1000;
  const label = (i: number) =>
    `${specs[i]!.id === specs[i]!.name ? specs[i]!.name : `${specs[i]!.id}=${specs[i]!.name}`}(${Object.entries(
      strategies[i]!.params,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(',')})`;
  out(`${statsTable(result.stats)}\n`);
  for (let i = 0; i < specs.length; i++) out(`_strategy`.padEnd(24) + label(i).padStart(22) + '\n');
  if (sleeves.length > 1 || !single)
    out(
      `\nPer strategy (each on its own share of the cash):\n${attributionTable(combined.attribution, combined.unallocatedCash)}`,
    );
  if (!o.quiet)
    out(`\n${rows.toLocaleString('en-US')} bars, ${result.fills.length} fills in ${secs.toFixed(2)} s\n`);
  if (o.json) {
    const trades = tradesToJson(result.trades, compat);
    const perStrategy = combined.attribution.map((a, i) => ({
      id: a.id,
      strategy: specs[i]!.name,
      params: strategies[i]!.params,
      allocation: a.allocation,
      startingCash: a.startingCash,
      finalEquity: a.finalEquity,
      pnl: a.pnl,
      returnPct: a.returnPct,
      contributionPct: a.contributionPct,
      fees: a.fees,
      trades: a.trades,
      fills: a.fills,
      winRatePct: Number.isFinite(a.winRatePct) ? a.winRatePct : null,
      maxDrawdownPct: a.maxDrawdownPct,
      stats: statsToJson(a.stats),
    }));
    writeFileSync(
      o.json,
      JSON.stringify({ stats: statsToJson(result.stats), trades, strategies: perStrategy }, null, 2) + '\n',
    );
    if (!o.quiet) out(`wrote ${o.json}\n`);
  }
  if (o.report || o.saveRun) {
    const {
      data,
      param: _p,
      json: _j,
      report: _r,
      saveRun: _s,
      quiet: _q,
      strategy: _n,
      allocation: _a,
      ...config
    } = o;
    const run = runRecordFromBacktest(result, loaded, {
      strategy: specs.map((s) => s.name).join('+'),
      params:
        specs.length === 1
          ? (strategies[0]!.params as Record<string, unknown>)
          : Object.fromEntries(
              specs.map((s, i) => [s.id, { ...strategies[i]!.params, allocation: s.allocation }]),
            ),
      data,
      config,
      compat,
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
    .requiredOption(
      '--strategy <name[:label]>',
      `strategy to run (${[...STRATEGIES.keys()].join(', ')}); repeat to run several side by side, each on its own share of the cash`,
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--param <[id.]name=value>',
      'strategy parameter (repeatable), e.g. --param fast=10; with several strategies scope it: --param sma-cross.fast=10',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--allocation <id=share>',
      'share of the cash for one strategy (repeatable; give all or none; sum <= 1; default equal shares)',
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
    .option(
      '--json <file>',
      'write { "stats": {…}, "trades": […], "strategies": [per-strategy P&L, fees, trades] } to FILE',
    )
    .option('--report <file>', 'write a self-contained HTML report (charts, trades, risk events) to FILE')
    .option(
      '--save-run <file>',
      'write the run record (stats, trades, equity, risk events) for `tickerml report`',
    )
    .option(
      '--risk-config <file>',
      'risk limits YAML (layout of config/risk_limits.yaml: position limits, drawdown breaker, stop loss, take profit…); without it the backtest profile applies (docs/RISK.md)',
    )
    .option('--quiet', 'print only the statistics')
    .addHelpText(
      'after',
      '\nExamples:\n  tickerml backtest --data GOOG.csv --strategy sma-cross --param fast=10 --param slow=20 --cash 10000 --commission 0.002\n' +
        '  tickerml backtest --data GOOG.csv --strategy sma-cross --param short=true --compat backtesting.py --json out.json\n' +
        '  tickerml backtest --data GOOG.csv --strategy sma-cross --strategy rsi-reversion --param sma-cross.fast=5 \\\n' +
        '      --param oversold=25 --allocation sma-cross=0.6 --allocation rsi-reversion=0.4 --commission 0.002\n',
    )
    .action((opts: BacktestCliOptions) => {
      process.exitCode = runBacktestCommand(opts);
    });
}

export { TickerError };
