import { type Logger, MemoryLogger, SimulatedClock, type Topic, Topics } from '../core/index.js';
import { BarVenue, type BarFillMode } from '../execution/bar-venue.js';
import {
  Bar,
  type BarSeries,
  type Fill,
  type Instrument,
  type Order,
  type Position,
  TickerError,
  invalid,
  orderId,
  clientOrderId,
  Order as OrderClass,
} from '../model/index.js';
import type { AccountType } from '../portfolio/portfolio.js';
import {
  COMPAT_BACKTESTING_PY_RISK,
  type RiskConfigInput,
  type RiskEngine,
  type RiskEvent,
  type RiskHook,
  StepMark,
  mergeRiskConfig,
} from '../risk/index.js';
import { type Stats, computeStats } from '../portfolio/stats.js';
import type { ClosedTrade } from '../portfolio/trades.js';
import type { Strategy } from '../strategy/strategy.js';
import { liveShapes } from '../model/shapes.js';
import { Kernel } from './kernel.js';

export interface BacktestConfig {
  readonly cash?: number;
  readonly currency?: string;
  readonly accountType?: AccountType;
  /** Commission rate per fill as a fraction of notional (0.002 = 0.2%); undefined = instrument fees. */
  readonly commission?: number;
  /** Fixed commission per fill. */
  readonly commissionFixed?: number;
  readonly slippageBps?: number;
  readonly fill?: BarFillMode;
  /** 'backtesting.py' reproduces its fills, sizing and end-of-run behaviour (docs/BACKTESTING.md). */
  readonly compat?: 'backtesting.py';
  /**
   * What happens to positions still open after the last bar: 'close' liquidates at the last close with
   * fees so every trade counts (the default); 'none' leaves them open, counted in equity but not as
   * trades (backtesting.py's default); 'open' closes them at the last bar's open (backtesting.py's
   * finalize_trades=True).
   */
  readonly finalize?: 'close' | 'none' | 'open';
  readonly seed?: number;
  readonly logger?: Logger;
  /** Stop the run when equity falls to zero or below (all positions closed at that bar's close). */
  readonly stopWhenBroke?: boolean;
  /**
   * What the result keeps: 'full' (default) keeps every order, fill and ledger entry; 'trades' keeps
   * closed trades, the equity curve and balances only: about 1.7x faster on order-heavy runs, for
   * optimizers that run thousands of backtests and read only statistics.
   */
  readonly record?: 'full' | 'trades';
  /** Compute the statistics at the end of run() (default true; benchmarks of the event loop turn it off). */
  readonly stats?: boolean;
  /**
   * Risk limits (docs/RISK.md). In compat mode these override COMPAT_BACKTESTING_PY_RISK (position limit
   * 100% of equity, breakers at 100%, no engine-managed exits): configured limits, never a disabled check.
   */
  readonly risk?: RiskConfigInput;
}

/** Parts a caller may supply instead of the defaults (tests and benchmarks). */
export interface BacktestDeps {
  /** A prebuilt risk engine (its rules run on every order). */
  readonly risk?: RiskEngine;
  /** The per-bar risk hook (default: the kernel's RiskMonitor). */
  readonly riskHook?: RiskHook;
}

export interface BacktestResult {
  readonly stats: Stats;
  /**
   * Step timestamps. With one instrument this and `benchmark` are views over the series' own `ts` and
   * `close` columns (no copies): treat them as read-only.
   */
  readonly ts: Float64Array;
  readonly equity: Float64Array;
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly trades: readonly ClosedTrade[];
  readonly kernel: Kernel;
  readonly bars: number;
  /** Circuit breakers tripped, exits filled, pauses (the RiskMonitor's log). */
  readonly riskEvents: readonly RiskEvent[];
  /** The first instrument's close at each step (Buy & Hold, Alpha, Beta), as the statistics used it. */
  readonly benchmark: Float64Array;
  /** The step from which the strategies could act (the longest warm-up), as the statistics used it. */
  readonly warmup: number;
}

/**
 * Runs strategies over bars of one or many instruments, merged in timestamp order (ties: the order the
 * instruments were added). Per timestamp and instrument: the venue fills pending orders against the new
 * bar, the position is marked to its close, strategies see the bar; after all instruments of a
 * timestamp, equity is recorded. Same data, config and seed → identical results.
 */
export class BacktestEngine {
  readonly kernel: Kernel;
  readonly clock: SimulatedClock;
  readonly venue: BarVenue;
  readonly config: BacktestConfig;
  private readonly series: BarSeries[] = [];
  private readonly insts: Instrument[] = [];
  private readonly hook: RiskHook;
  /** RiskMonitor index of each added instrument. */
  private readonly hookIdx: number[] = [];
  /**
   * The step mark the risk hook reads, one per engine and reused by its runs: reachable from the engine,
   * so its map outlives the run with the engine (model/shapes.ts). Made per run, it died with the run and
   * took the bar loop's compiled code with it ("weak objects": a recompile every other run of the risk
   * benchmark's bypassed variant, whose no-op hook keeps no reference to it).
   */
  private readonly mark = new StepMark();

  constructor(config: BacktestConfig = {}, deps: BacktestDeps = {}) {
    this.config = config;
    const cash = config.cash ?? 10_000;
    if (!(cash > 0)) throw invalid('cash', cash, 'must be a positive amount');
    this.clock = new SimulatedClock(0);
    const logger = config.logger ?? new MemoryLogger(() => this.clock.now());
    this.kernel = new Kernel(
      {
        portfolio: {
          baseCurrency: config.currency ?? 'USD',
          startingCash: cash,
          accountType: config.accountType ?? 'cash',
        },
        commission: {
          ...(config.commission !== undefined ? { rate: config.commission } : {}),
          ...(config.commissionFixed !== undefined ? { fixed: config.commissionFixed } : {}),
        },
        ...(config.seed !== undefined ? { seed: config.seed } : {}),
        // Without a `risk` option a backtest runs the open profile (every rule, limits at 100%) so existing
        // backtests reproduce; `risk: {}` selects the standard limits (docs/RISK.md).
        risk:
          config.compat === 'backtesting.py' || config.risk === undefined
            ? mergeRiskConfig(COMPAT_BACKTESTING_PY_RISK, config.risk)
            : config.risk,
      },
      { clock: this.clock, logger, ...(deps.risk ? { risk: deps.risk } : {}) },
    );
    const k = this.kernel;
    this.hook = deps.riskHook ?? k.riskMonitor;
    this.venue = new BarVenue({
      fill: config.fill ?? 'next-open',
      slippageBps: config.slippageBps ?? 0,
      pessimisticStopLimit: config.compat === 'backtesting.py',
      account: k,
    });
    k.addExecutionClient(this.venue, true);
    if (config.record !== undefined && config.record !== 'full' && config.record !== 'trades')
      throw invalid('record', config.record, "must be 'full' or 'trades'");
    if (config.record === 'trades') {
      k.execution.keepOrders = false;
      k.execution.keepFills = false;
      k.portfolio.ledger.keepEntries = false;
    }
  }

  addInstrument(inst: Instrument, bars: BarSeries): this {
    if (bars.instrumentId !== inst.id)
      throw invalid('bars.instrumentId', bars.instrumentId, `must be ${inst.id}`);
    if (bars.length === 0) throw invalid(`bars(${inst.id}).length`, 0, 'needs at least one bar');
    this.kernel.addInstrument(inst);
    this.venue.addInstrument(inst);
    this.series.push(bars);
    this.insts.push(inst);
    this.hookIdx.push(this.kernel.riskMonitor.indexOf(inst.id));
    return this;
  }

  addStrategy(strategy: Strategy<object>, instrumentIds?: readonly string[]): this {
    this.kernel.addStrategy(strategy, instrumentIds);
    return this;
  }

  run(): BacktestResult {
    const k = this.kernel;
    if (this.series.length === 0)
      throw new TickerError('NO_DATA', 'add at least one instrument with bars before run()');
    if (k.strategies.length === 0) throw new TickerError('NO_STRATEGY', 'add a strategy before run()');
    // Kept until the next run starts, so that run's objects reuse this one's hidden classes (shapes.ts).
    liveShapes.engine = this;
    const m = this.series.length;
    const total = this.series.reduce((a, s) => a + s.length, 0);
    // One instrument: the timestamps and the benchmark are that series' own columns (views, no copies:
    // on a million bars two fewer 8 MB arrays to fault in; docs/BENCHMARKS.md).
    const tsOut = m === 1 ? this.series[0]!.ts : new Float64Array(total);
    const eqOut = new Float64Array(total);
    const benchOut = m === 1 ? this.series[0]!.close : new Float64Array(total);
    const bars = this.insts.map((i) => new Bar(i.id));
    const topics: Topic<Bar>[] = this.insts.map((i) => k.bus.topic<Bar>(Topics.bars(i.id)));
    const positions: Position[] = this.insts.map((i) => k.portfolio.position(i.id)!);
    const heads = new Int32Array(m);
    const lastClose = new Float64Array(m).fill(Number.NaN);
    const clock = this.clock;
    const venue = this.venue;
    const portfolio = k.portfolio;
    const stopWhenBroke = this.config.stopWhenBroke ?? true;
    const hook = this.hook;
    const hookIdx = this.hookIdx;
    const mark = this.mark;
    clock.set(this.series.reduce((t, s) => Math.min(t, s.ts[0]!), Infinity));
    // Every bar is known: the risk monitor runs its per-bar jump test over the closes now (planBars).
    if (hook.planBars) for (let j = 0; j < m; j++) hook.planBars(hookIdx[j]!, this.series[j]!.close);
    k.start();
    let step = 0;
    let broke = false;
    let processed = 0;

    if (m === 1) {
      step = this.runSingle(this.series[0]!, bars[0]!, topics[0]!, positions[0]!, eqOut, stopWhenBroke);
      broke = step < 0;
      if (broke) step = -step;
      processed = step;
    } else {
      for (;;) {
        let t = Infinity;
        for (let j = 0; j < m; j++) {
          const s = this.series[j]!;
          if (heads[j]! < s.length && s.ts[heads[j]!]! < t) t = s.ts[heads[j]!]!;
        }
        if (t === Infinity) break;
        if (clock.nextTimerAt() <= t) clock.advanceTo(t);
        else clock.set(t);
        k.step = step;
        for (let j = 0; j < m; j++) {
          const s = this.series[j]!;
          const h = heads[j]!;
          if (h >= s.length || s.ts[h] !== t) continue;
          const bar = s.read(h, bars[j]!);
          venue.onBar(j, bar);
          positions[j]!.lastPrice = bar.close;
          lastClose[j] = bar.close;
          hook.onBar(hookIdx[j]!, bar, step);
          topics[j]!.publish(bar);
          heads[j] = h + 1;
          processed++;
        }
        tsOut[step] = t;
        benchOut[step] = lastClose[0]!;
        const e = portfolio.equity();
        eqOut[step] = e;
        mark.ts = t;
        mark.equity = e;
        mark.step = step;
        hook.onStep(mark);
        step++;
        if (e <= 0 && stopWhenBroke) {
          broke = true;
          break;
        }
      }
      // The benchmark is the first instrument; before its first bar use its first close.
      const first = this.series[0]!.close[0]!;
      for (let i = 0; i < step && Number.isNaN(benchOut[i]!); i++) benchOut[i] = first;
    }

    const last = step - 1;
    if (broke) {
      k.logger.error('equity fell to zero or below: all positions closed and the run stopped', {
        step: last,
      });
      this.liquidate(bars, 'close', last);
      eqOut[last] = Math.max(0, portfolio.equity());
    } else {
      const finalize = this.config.finalize ?? (this.config.compat === 'backtesting.py' ? 'none' : 'close');
      if (finalize !== 'none') {
        this.liquidate(bars, finalize, last);
        eqOut[last] = portfolio.equity();
      }
    }
    k.stop();

    const ts = tsOut.subarray(0, step);
    const equity = eqOut.subarray(0, step);
    const warmup = Math.max(0, ...k.strategies.map((s) => s.warmupBars));
    const benchmark = benchOut.subarray(0, step);
    const stats =
      this.config.stats === false
        ? {}
        : computeStats({
            ts,
            equity,
            trades: portfolio.trades.closed,
            benchmark,
            warmup,
            tradesNetOfFees: this.config.compat !== 'backtesting.py',
          });
    return {
      stats,
      ts,
      equity,
      // Built on first read (orders are kept in chunks; most runs read only statistics and trades).
      get orders() {
        return k.execution.orders;
      },
      // Built from the fill log on first read (most runs read only statistics and trades).
      get fills() {
        return k.execution.fills;
      },
      // Built from the trade log's rows on first read, like the fills.
      get trades() {
        return portfolio.trades.closed;
      },
      kernel: k,
      bars: processed,
      riskEvents: k.riskMonitor.events,
      benchmark,
      warmup,
    };
  }

  /**
   * The loop for one instrument, kept small so V8 optimizes it as a unit. Returns the number of steps
   * run, negated when the account went broke.
   */
  private runSingle(
    s: BarSeries,
    bar: Bar,
    topic: Topic<Bar>,
    pos: Position,
    eqOut: Float64Array,
    stopWhenBroke: boolean,
  ): number {
    const k = this.kernel;
    const clock = this.clock;
    const venue = this.venue;
    const portfolio = k.portfolio;
    const n = s.length;
    const tsCol = s.ts;
    const hook = this.hook;
    const hj = this.hookIdx[0]!;
    const mark = this.mark;
    for (let i = 0; i < n; i++) {
      const t = tsCol[i]!;
      if (clock.nextTimerAt() <= t) clock.advanceTo(t);
      else clock.set(t);
      k.step = i;
      s.read(i, bar);
      venue.onBar(0, bar);
      pos.lastPrice = bar.close;
      hook.onBar(hj, bar, i);
      topic.publish(bar);
      const e = portfolio.equity();
      eqOut[i] = e;
      mark.ts = t;
      mark.equity = e;
      mark.step = i;
      hook.onStep(mark);
      if (e <= 0 && stopWhenBroke) return -(i + 1);
    }
    return n;
  }

  /** Cancels open orders and closes every position at the last bar's close (or open). */
  private liquidate(bars: Bar[], at: 'close' | 'open', step: number): void {
    const k = this.kernel;
    k.step = step;
    for (const o of k.execution.openOrders()) k.execution.cancel(o, 'canceled at the end of the backtest');
    for (let j = 0; j < this.insts.length; j++) {
      const inst = this.insts[j]!;
      const pos = k.portfolio.position(inst.id)!;
      if (pos.quantity === 0) continue;
      const bar = bars[j]!;
      const price = at === 'open' ? bar.open : bar.close;
      const id = orderId(k.ids.next('O'));
      const order = new OrderClass({
        id,
        clientOrderId: clientOrderId(id),
        instrumentId: inst.id,
        strategyId: k.strategies[0]!.id,
        side: pos.quantity > 0 ? 'sell' : 'buy',
        type: 'market',
        quantity: Math.abs(pos.quantity),
        reduceOnly: true,
        tag: 'end-of-backtest',
        ts: bar.ts,
      });
      k.execution.track(order);
      order.transition('submitted', bar.ts);
      k.execution.accepted(order, bar.ts);
      k.execution.filled(order, order.quantity, price, 'taker', bar.ts);
      pos.lastPrice = bar.close;
    }
  }
}
