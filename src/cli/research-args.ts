import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { runnerFromEnv } from '../adapters/nats/index.js';
import { readCsvBars } from '../data/csv-bars.js';
import { type BarSeries, invalid } from '../model/index.js';
import {
  type BacktestSpec,
  type Dimension,
  type Objective,
  type ParamValue,
  type Params,
  type QuarantineOptions,
  type SearchMethod,
  type TrialRunner,
  ParamSpace,
  WorkerPool,
  localRunner,
} from '../research/index.js';
import { STRATEGIES } from '../strategies/index.js';

/** Flags every research command shares (data, strategy, backtest settings, quarantine, output). */
export interface ResearchCliOptions {
  data: string;
  strategy: string;
  param: string[];
  cash: string;
  commission?: string;
  commissionFixed?: string;
  slippageBps?: string;
  fill: 'next-open' | 'close';
  lotSize: string;
  quarantineDays: string;
  unsafeNoQuarantine?: boolean;
  json?: string;
  report?: string;
  quiet?: boolean;
}

/** Flags of the commands that search a space (optimize, walkforward, cpcv). */
export interface SearchCliOptions extends ResearchCliOptions {
  range: string[];
  method: 'grid' | 'random' | 'genetic';
  samples?: string;
  seed: string;
  objective: string;
  workers?: string;
}

const collect = (v: string, acc: string[]) => [...acc, v];

export function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw invalid(`--${flag}`, v, 'must be a number');
  return x;
}

export function int(flag: string, v: string | undefined, min: number): number | undefined {
  const x = num(flag, v);
  if (x === undefined) return undefined;
  if (!Number.isInteger(x) || x < min) throw invalid(`--${flag}`, v, `must be an integer >= ${min}`);
  return x;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--data <file>', 'CSV file of bars (one instrument)')
    .requiredOption('--strategy <name>', `strategy to research (${[...STRATEGIES.keys()].join(', ')})`)
    .option(
      '--param <name=value>',
      'fixed strategy parameter (repeatable), e.g. --param short=true',
      collect,
      [],
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
    .option('--lot-size <n>', 'quantity increment (1 = whole units; 0.001 for crypto)', '1')
    .option(
      '--quarantine-days <n>',
      'most recent days held out: nothing trains, tunes or selects on them',
      '30',
    )
    .option('--unsafe-no-quarantine', 'with --quarantine-days 0: research on the most recent data too')
    .option('--json <file>', 'write the full result as JSON to FILE')
    .option('--report <file>', 'write a self-contained HTML report with plots to FILE')
    .option('--quiet', 'no progress bar, no summary lines: only the table');
}

export function addSearchOptions(cmd: Command, withMethod = true): Command {
  cmd.option(
    '--range <name=min:max:step>',
    'searched parameter (repeatable): name=min:max:step, or name=a,b,c for a list of values',
    collect,
    [],
  );
  if (withMethod)
    cmd
      .addOption(
        new Option('--method <how>', 'search: every grid point, random samples, or a genetic algorithm')
          .choices(['grid', 'random', 'genetic'])
          .default('grid'),
      )
      .option('--samples <n>', 'candidates for --method random (default 50)')
      .option('--seed <n>', 'seed for random and genetic search', '1')
      .option(
        '--objective <list>',
        'objectives, first picks the best: sharpe, return, drawdown, trades',
        'sharpe,return,drawdown',
      )
      .option(
        '--workers <n>',
        'worker threads for the backtests (default: every core, or `tickerml worker`s when NATS_URL is set; 1 = this thread)',
      );
  return cmd;
}

/** name=value pairs; numbers and true/false become typed values. */
export function parseParams(list: readonly string[], flag = '--param'): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw invalid(flag, p, 'must look like name=value, e.g. --param fast=10');
    out[p.slice(0, eq).trim()] = typed(p.slice(eq + 1).trim());
  }
  return out;
}

function typed(s: string): ParamValue {
  if (s === 'true') return true;
  if (s === 'false') return false;
  const x = Number(s);
  return s !== '' && Number.isFinite(x) ? x : s;
}

/** `fast=5:30:5` (an int lattice, or float when any bound is fractional) or `mode=a,b,c` (a choice). */
export function parseRanges(list: readonly string[]): Record<string, Dimension> {
  if (list.length === 0)
    throw invalid('--range', list, 'give at least one searched parameter, e.g. --range fast=5:30:5');
  const out: Record<string, Dimension> = {};
  for (const r of list) {
    const eq = r.indexOf('=');
    if (eq <= 0) throw invalid('--range', r, 'must look like name=min:max:step or name=a,b,c');
    const name = r.slice(0, eq).trim();
    const body = r.slice(eq + 1).trim();
    if (out[name]) throw invalid('--range', r, `parameter ${name} is given twice`);
    if (body.includes(':')) {
      const parts = body.split(':');
      if (parts.length < 2 || parts.length > 3)
        throw invalid('--range', r, 'must look like name=min:max:step, e.g. fast=5:30:5');
      const [min, max, step] = parts.map((p) => {
        const x = Number(p);
        if (p.trim() === '' || !Number.isFinite(x)) throw invalid('--range', r, `'${p}' is not a number`);
        return x;
      }) as [number, number, number | undefined];
      if (min > max) throw invalid('--range', r, 'min must not exceed max');
      if (step !== undefined && !(step > 0)) throw invalid('--range', r, 'step must be positive');
      const isInt = [min, max, step ?? 1].every(Number.isInteger);
      out[name] = isInt
        ? { kind: 'int', min, max, step: step ?? 1 }
        : { kind: 'float', min, max, ...(step !== undefined ? { step } : {}) };
    } else {
      const values = body.split(',').map((v) => typed(v.trim()));
      if (values.length === 0 || values.some((v) => v === ''))
        throw invalid('--range', r, 'list the values, e.g. mode=a,b,c');
      out[name] = { kind: 'choice', values };
    }
  }
  return out;
}

const OBJECTIVES: Record<string, Objective> = {
  sharpe: { metric: 'sharpe', goal: 'max' },
  return: { metric: 'totalReturn', goal: 'max' },
  drawdown: { metric: 'maxDrawdown', goal: 'min' },
  trades: { metric: 'trades', goal: 'max' },
};

export function parseObjectives(s: string): Objective[] {
  const names = s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (names.length === 0)
    throw invalid('--objective', s, 'name at least one of sharpe, return, drawdown, trades');
  return names.map((n) => {
    const o = OBJECTIVES[n];
    if (!o) throw invalid('--objective', n, `must be one of ${Object.keys(OBJECTIVES).join(', ')}`);
    return o;
  });
}

export function parseMethod(o: SearchCliOptions): SearchMethod {
  const seed = int('seed', o.seed, 0)!;
  if (o.samples !== undefined && o.method !== 'random')
    throw invalid('--samples', o.samples, 'applies to --method random only');
  if (o.method === 'random') return { kind: 'random', samples: int('samples', o.samples ?? '50', 1)!, seed };
  if (o.method === 'genetic') return { kind: 'genetic', seed };
  if (o.method === 'grid') return { kind: 'grid' };
  throw invalid('--method', o.method, 'must be grid, random or genetic');
}

export function quarantineOptions(o: ResearchCliOptions): QuarantineOptions {
  const days = num('quarantine-days', o.quarantineDays)!;
  if (days < 0) throw invalid('--quarantine-days', o.quarantineDays, 'must be a number of days >= 0');
  return { quarantineDays: days, ...(o.unsafeNoQuarantine ? { unsafeNoQuarantine: true } : {}) };
}

export function loadBars(o: ResearchCliOptions): BarSeries {
  if (!o.data) throw invalid('--data', o.data, 'give a CSV file: --data FILE.csv');
  return readCsvBars(o.data).series;
}

export function buildSpec(o: ResearchCliOptions): BacktestSpec {
  if (!STRATEGIES.has(o.strategy))
    throw invalid('--strategy', o.strategy, `must be one of ${[...STRATEGIES.keys()].join(', ')}`);
  const lot = num('lot-size', o.lotSize)!;
  if (!(lot > 0)) throw invalid('--lot-size', o.lotSize, 'must be positive');
  const cash = num('cash', o.cash)!;
  if (!(cash > 0)) throw invalid('--cash', o.cash, 'must be positive');
  return {
    strategy: o.strategy,
    config: {
      cash,
      commission: num('commission', o.commission) ?? 0,
      ...(o.commissionFixed !== undefined
        ? { commissionFixed: num('commission-fixed', o.commissionFixed)! }
        : {}),
      ...(o.slippageBps !== undefined ? { slippageBps: num('slippage-bps', o.slippageBps)! } : {}),
      fill: o.fill,
    },
    ...(lot !== 1 ? { instrument: { lotSize: lot, minQuantity: lot } } : {}),
  };
}

/**
 * The searched space. Fixed --param values become one-value dimensions rather than ParamSpace.fixed: the
 * searches hand the runner the searched names only, so a `fixed` value would be missing from the
 * in-sample backtests (optimize, walk-forward) while present out of sample.
 */
export function buildSpace(o: Pick<SearchCliOptions, 'strategy' | 'range' | 'param'>): ParamSpace {
  const dimensions: Record<string, Dimension> = parseRanges(o.range ?? []);
  for (const [k, v] of Object.entries(parseParams(o.param ?? []))) {
    if (dimensions[k]) throw invalid('--param', `${k}=${String(v)}`, `${k} is also given with --range`);
    dimensions[k] = { kind: 'choice', values: [v] };
  }
  return new ParamSpace({ strategy: o.strategy, dimensions });
}

/**
 * The backtests' runner: this thread for --workers 1, a pool of worker threads for --workers N, and the
 * NATS work queue (`tickerml worker` processes) when NATS_URL is set and --workers is not given.
 */
export async function makeRunner(
  o: SearchCliOptions,
  bars: BarSeries,
  spec: BacktestSpec,
): Promise<TrialRunner> {
  const nats = o.workers === undefined ? await runnerFromEnv(bars, spec) : undefined;
  if (nats) return nats;
  const n = int('workers', o.workers, 1) ?? availableParallelism();
  return n === 1 ? localRunner(bars, spec) : WorkerPool.start({ bars, spec, workers: n });
}

/** JSON with typed arrays as arrays and NaN/±Infinity as null (JSON has neither). */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_k, v: unknown) => {
        if (v instanceof Float64Array) return Array.from(v, (x) => (Number.isFinite(x) ? x : null));
        if (typeof v === 'number' && !Number.isFinite(v)) return null;
        return v;
      },
      2,
    ) + '\n'
  );
}

export function formatParams(p: Params): string {
  return Object.keys(p)
    .sort()
    .map((k) => `${k}=${String(p[k])}`)
    .join(' ');
}
