import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type ReplayFormat, REPLAY_FORMATS, loadReplayFiles, replayStreams } from '../data/replay/index.js';
import { StreamSynchronizer } from '../data/synchronizer.js';
import { L2BacktestEngine, type L2BacktestResult } from '../engine/l2-backtest.js';
import { ConstantLatency } from '../execution/l2/latency.js';
import type { MarkoutReport } from '../execution/l2/markouts.js';
import { ProbabilisticQueueModel, type QueueModel, RiskAverseQueueModel } from '../execution/l2/queue.js';
import { Instrument, type InstrumentKind, invalid } from '../model/index.js';
import { type Stats, computeStats, statsToJson } from '../portfolio/stats.js';
import { L2_STRATEGIES, STRATEGIES, createL2Strategy, createStrategy } from '../strategies/index.js';
import { Strategy } from '../strategy/strategy.js';
import { parseParams } from './backtest.js';
import { statsTable } from './format.js';

export interface BacktestL2CliOptions {
  l2: string[];
  format: ReplayFormat;
  strategy: string;
  param: string[];
  instrument: string;
  kind: InstrumentKind;
  tickSize: string;
  lotSize: string;
  makerFee: string;
  takerFee: string;
  cash: string;
  latencyMs: string;
  queue: 'risk-averse' | 'prob-power' | 'prob-log';
  replayBy: 'exchange' | 'receive';
  onGap: 'resync' | 'continue';
  toxicBps: string;
  json?: string;
  seed: string;
}

function num(name: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw invalid(`--${name}`, v, 'must be a number');
  return x;
}

/** The strategies that trade on book events (not in the bar registry), then the bar registry. */
export function l2Strategy(name: string, params: Record<string, string>): Strategy<object> {
  if (L2_STRATEGIES.has(name)) return createL2Strategy(name, params);
  return createStrategy(name, params);
}

export function queueModel(name: string): QueueModel {
  if (name === 'risk-averse') return new RiskAverseQueueModel();
  if (name === 'prob-power') return new ProbabilisticQueueModel('power', 3);
  if (name === 'prob-log') return new ProbabilisticQueueModel('log');
  throw invalid('--queue', name, 'must be risk-averse, prob-power or prob-log');
}

/** Samples equity and the mid once a second, for the statistics (the L2 engine has no bars to mark on). */
export class EquitySampler extends Strategy<object> {
  readonly ts: number[] = [];
  readonly equity: number[] = [];
  readonly mark: number[] = [];
  constructor(private readonly everyUs = 1_000_000) {
    super({}, 'equity-sampler');
  }
  override onStart(): void {
    this.ctx.setTimer('equity', { intervalUs: this.everyUs, startAt: this.ctx.now() + this.everyUs });
    this.sample();
  }
  override onTimer(): void {
    this.sample();
  }
  override onStop(): void {
    this.sample();
  }
  private sample(): void {
    const t = this.ctx.now();
    const p = this.ctx.position().lastPrice;
    if (this.ts.length && this.ts[this.ts.length - 1] === t) return;
    this.ts.push(t);
    this.equity.push(this.ctx.equity());
    this.mark.push(Number.isFinite(p) ? p : (this.mark[this.mark.length - 1] ?? Number.NaN));
  }
}

export interface BacktestL2Summary {
  readonly stats: Stats;
  readonly fills: number;
  readonly maker: number;
  readonly taker: number;
  readonly fees: number;
  readonly funding: number;
  readonly avgQueueAhead: number;
  readonly likelyToxicShare: number;
  readonly markouts: MarkoutReport | undefined;
  readonly result: L2BacktestResult;
}

/** Runs `tickerml backtest-l2`; returns the exit code. */
export function runBacktestL2Command(
  o: BacktestL2CliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): number {
  if (!o.l2?.length) throw invalid('--l2', undefined, 'give at least one replay file: --l2 FILE');
  if (!REPLAY_FORMATS.includes(o.format))
    throw invalid('--format', o.format, `must be one of ${REPLAY_FORMATS.join(', ')}`);
  const t0 = performance.now();
  const strategy = l2Strategy(o.strategy, parseParams(o.param ?? []));
  const replay = loadReplayFiles(o.l2, {
    format: o.format,
    instrumentId: o.instrument as never,
    onGap: o.onGap,
  });
  const streams = replayStreams(replay);
  if (streams.length === 0) throw invalid('--l2', o.l2.join(' '), 'holds no replayable events');
  const [base, quote] = splitSymbol(replay.symbol ?? o.instrument);
  const inst = new Instrument({
    id: o.instrument,
    kind: o.kind,
    base,
    quote,
    tickSize: num('tick-size', o.tickSize),
    lotSize: num('lot-size', o.lotSize),
    makerFee: num('maker-fee', o.makerFee),
    takerFee: num('taker-fee', o.takerFee),
  });
  const lat = num('latency-ms', o.latencyMs);
  if (!(lat >= 0)) throw invalid('--latency-ms', o.latencyMs, 'must be >= 0');
  const us = Math.round(lat * 1000);
  const toxicBps = num('toxic-bps', o.toxicBps);
  const engine = new L2BacktestEngine(
    {
      cash: num('cash', o.cash),
      currency: quote,
      seed: num('seed', o.seed),
      queue: queueModel(o.queue),
      replayBy: o.replayBy,
      markouts: { toxicBps },
      latency: () => ({
        entry: new ConstantLatency(us),
        response: new ConstantLatency(us),
        marketData: new ConstantLatency(0),
      }),
    },
    { merge: StreamSynchronizer.ofColumns },
  );
  const sampler = new EquitySampler();
  engine
    .addInstrument(inst, ...streams)
    .addStrategy(strategy)
    .addStrategy(sampler);
  const result = engine.run();
  const s = summarize(result, sampler);
  const secs = (performance.now() - t0) / 1000;
  out(`${statsTable(s.stats)}\n`);
  out(
    `\nfills ${s.fills} (maker ${s.maker}, taker ${s.taker}), fees ${s.fees.toFixed(4)} ${quote}, funding ${s.funding.toFixed(4)} ${quote}\n`,
  );
  out(
    `maker fills: average queue ahead at arrival ${fmt(s.avgQueueAhead, 4)}, likely toxic (queue ahead > 10) ${pct(s.likelyToxicShare)}\n`,
  );
  if (s.markouts) out(markoutTable(s.markouts));
  out(`\nreplay: ${replay.report.summary().join('\n        ')}\n`);
  out(`${result.events.toLocaleString('en-US')} events in ${secs.toFixed(2)} s\n`);
  if (o.json) {
    writeFileSync(
      o.json,
      JSON.stringify(
        {
          stats: statsToJson(s.stats),
          fills: s.fills,
          maker: s.maker,
          taker: s.taker,
          fees: s.fees,
          funding: s.funding,
          fundingPayments: result.fundingPayments,
          avgQueueAhead: s.avgQueueAhead,
          likelyToxicShare: s.likelyToxicShare,
          markouts: s.markouts
            ? {
                horizonsUs: s.markouts.horizonsUs,
                toxicBps: s.markouts.toxicBps,
                strategies: s.markouts.strategies,
              }
            : null,
          replay: replay.report.toJSON(),
        },
        (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
        2,
      ) + '\n',
    );
    out(`wrote ${o.json}\n`);
  }
  return 0;
}

export function summarize(result: L2BacktestResult, sampler: EquitySampler): BacktestL2Summary {
  const fills = result.fills;
  let maker = 0;
  for (const f of fills) if (f.liquidity === 'maker') maker++;
  const log = result.venue.makerFillLog;
  // The first samples may come before the book has a mid: hold the first known mark back to them.
  const mark = sampler.mark.slice();
  const first = mark.findIndex((x) => Number.isFinite(x));
  for (let i = 0; i < first; i++) mark[i] = mark[first]!;
  const stats = computeStats({
    ts: sampler.ts,
    equity: sampler.equity,
    trades: result.kernel.portfolio.trades.closed,
    benchmark: mark,
  });
  return {
    stats,
    fills: fills.length,
    maker,
    taker: fills.length - maker,
    fees: result.fees,
    funding: result.funding,
    avgQueueAhead: log.length ? log.reduce((a, r) => a + r.queueAtArrival, 0) / log.length : Number.NaN,
    likelyToxicShare: log.length ? log.filter((r) => r.likelyToxic).length / log.length : Number.NaN,
    markouts: result.markouts,
    result,
  };
}

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

/** Markouts per strategy: one row per horizon. */
export function markoutTable(m: MarkoutReport): string {
  const rows = [`\nmarkouts (mid move after each fill, bps; toxic: worse than -${m.toxicBps} bps)`];
  rows.push(
    'strategy'.padEnd(18) +
      'horizon'.padStart(8) +
      'fills'.padStart(7) +
      'avg move'.padStart(10) +
      'avg edge'.padStart(10) +
      'toxic'.padStart(8),
  );
  for (const s of m.strategies)
    for (const h of s.horizons)
      rows.push(
        s.strategyId.padEnd(18) +
          `${h.horizonUs / 1e6}s`.padStart(8) +
          String(h.measured).padStart(7) +
          fmt(h.avgMoveBps).padStart(10) +
          fmt(h.avgEdgeBps).padStart(10) +
          pct(h.toxicShare).padStart(8),
      );
  return rows.join('\n') + '\n';
}

function splitSymbol(sym: string): [string, string] {
  const s = sym.split('.')[0]!.replace(/[-_/]/g, '');
  for (const q of ['USDT', 'USDC', 'BUSD', 'USD', 'BTC', 'ETH', 'EUR'])
    if (s.length > q.length && s.endsWith(q)) return [s.slice(0, -q.length), q];
  return [s, 'USD'];
}

export function registerBacktestL2(program: Command): void {
  program
    .command('backtest-l2')
    .description(
      'replay recorded L2 data (book, trades) through the L2 venue and a strategy; report fills, queue, markouts, fees, funding',
    )
    .requiredOption('--l2 <file...>', 'replay file(s) (.gz read as gzip); repeat for several')
    .addOption(
      new Option('--format <name>', 'file format').choices([...REPLAY_FORMATS]).makeOptionMandatory(),
    )
    .requiredOption(
      '--strategy <name>',
      `strategy to run (${[...L2_STRATEGIES.keys(), ...STRATEGIES.keys()].join(', ')})`,
    )
    .option(
      '--param <name=value>',
      'strategy parameter (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--instrument <id>', 'instrument id', 'REPLAY.L2')
    .addOption(
      new Option('--kind <kind>', 'instrument kind')
        .choices(['perpetual', 'spot', 'future'])
        .default('perpetual'),
    )
    .option('--tick-size <n>', 'price increment', '0.1')
    .option('--lot-size <n>', 'quantity increment', '0.001')
    .option('--maker-fee <rate>', 'maker fee (negative: rebate)', '0.0002')
    .option('--taker-fee <rate>', 'taker fee', '0.0005')
    .option('--cash <amount>', 'starting cash', '100000')
    .option('--latency-ms <n>', 'order entry and response latency, ms each way', '1')
    .addOption(
      new Option('--queue <model>', 'queue model')
        .choices(['risk-averse', 'prob-power', 'prob-log'])
        .default('risk-averse'),
    )
    .addOption(
      new Option('--replay-by <clock>', 'order events by venue or local receive time')
        .choices(['exchange', 'receive'])
        .default('exchange'),
    )
    .addOption(
      new Option('--on-gap <policy>', 'book sequence gap: wait for a snapshot or apply anyway')
        .choices(['resync', 'continue'])
        .default('resync'),
    )
    .option('--toxic-bps <n>', 'a fill is toxic when the mid moves against it by more than this', '1')
    .option('--seed <n>', 'random seed', '1')
    .option(
      '--json <file>',
      'write the statistics, fill counts, fees, funding, markouts and the replay report to FILE',
    )
    .addHelpText(
      'after',
      '\nExample:\n  tickerml backtest-l2 --l2 usdm_btcusdt.jsonl.gz --format binance --strategy market-maker --param size=0.001 --param halfSpreadTicks=0 --latency-ms 5 --queue prob-power\n',
    )
    .action((opts: BacktestL2CliOptions) => {
      process.exitCode = runBacktestL2Command(opts);
    });
}
