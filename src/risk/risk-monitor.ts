import {
  type Bar,
  MICROS_PER_DAY,
  type NumberColumn,
  type Order,
  type Position,
  type UnixMicros,
  resized,
} from '../model/index.js';
import type { RiskConfig } from './config.js';
import { KillSwitch, type RiskActions } from './kill-switch.js';
import type { PriceHistory } from './price-history.js';
import type { TradingStates } from './trading-state.js';

export type RiskEventKind =
  | 'max-drawdown'
  | 'daily-loss'
  | 'daily-reset'
  | 'kill-switch'
  | 'stop-loss'
  | 'take-profit'
  | 'price-jump'
  | 'stale-data'
  | 'resumed';

/** Something the risk layer did or saw, with the numbers (kept for reports, published on the bus). */
export interface RiskEvent {
  readonly kind: RiskEventKind;
  readonly ts: UnixMicros;
  /** The step (bar index of the run) it happened at. */
  readonly step: number;
  readonly instrumentId?: string;
  readonly message: string;
  readonly limit?: number;
  readonly actual?: number;
}

/**
 * The time and equity of one step, as the engines hand them to the per-step hook: each engine keeps one
 * and overwrites it every step (numbers passed to a call that is not inlined are boxed, one allocation
 * each; a reused object's fields are written in place).
 */
export class StepMark {
  ts: UnixMicros = 0;
  equity = 0;
  step = 0;
}

/**
 * The per-bar hook the engines call: `onBar` after marking a bar's price (the engine's reused Bar: its
 * close, ts and so on), `onStep` after equity. Both take objects and Smis only, so they box nothing.
 */
export interface RiskHook {
  onBar(j: number, bar: Bar, step: number): void;
  /**
   * After each step's equity. An engine passes the same StepMark on every call, rewritten in place: the
   * hook may keep it (RiskMonitor stamps the events it raises between steps with its time and step).
   */
  onStep(mark: StepMark): void;
  /**
   * Called by a backtest before its first bar with each instrument's whole close column, when every bar is
   * known in advance: the hook may do per-bar work ahead of time (RiskMonitor.planBars).
   */
  planBars?(j: number, close: Float64Array): void;
}

/** actFrom[j] of an instrument whose jump test runs bar by bar (not planned): every bar acts. */
const EVERY_BAR = -2147483648;
/** nextJump[j] when no planned jump is left. */
const NO_JUMP = 2147483647;

/** The bars of one instrument where the jump test fires, with the return and variance it saw. */
interface JumpPlan {
  readonly bars: number[];
  readonly r: number[];
  readonly v: number[];
}

/** The last plan made from a fresh state for each close column, with the settings it was made with. */
const PLANS = new WeakMap<
  Float64Array,
  { readonly warmup: number; readonly jump2: number; readonly alpha: number; readonly plan: JumpPlan }
>();

export interface RiskMonitorDeps {
  readonly config: RiskConfig;
  readonly states: TradingStates;
  readonly history: PriceHistory;
  readonly actions: RiskActions;
  readonly onEvent?: (ev: RiskEvent) => void;
  /** Counts every fill booked (the portfolio): the monitor looks at positions only when it moved. */
  readonly fills: { readonly fillCount: number };
}

/**
 * Circuit breakers, run once per bar and once per step. The hot part is a few comparisons: the
 * high-water mark, the day's loss, whether a position changed, and a jump test on an exponentially
 * weighted variance (r² > k²·σ², no square root). Anything that trips calls out to the actions.
 *
 * - max drawdown from the high-water mark → kill switch (cancel all, flatten, halt);
 * - daily loss from the previous day's closing equity → reducing until the next UTC day;
 * - stop loss / take profit per position, placed as reduce-only venue orders when the strategy has none;
 * - a bar return beyond k σ, or no bar for `staleAfterUs` → the instrument is paused (only reducing
 *   orders) until `resumeAfterBars` bars pass (or its next bar, for stale data) or `resume()` by hand.
 */
export class RiskMonitor implements RiskHook {
  readonly config: RiskConfig;
  readonly states: TradingStates;
  readonly killSwitch: KillSwitch;
  readonly events: RiskEvent[] = [];
  private readonly history: PriceHistory;
  private readonly actions: RiskActions;
  private readonly onEvent: ((ev: RiskEvent) => void) | undefined;
  private readonly ids: string[] = [];
  private readonly positions: Position[] = [];
  private lastPx = new Float64Array(0);
  private lastTs = new Float64Array(0);
  private seenQty = new Float64Array(0);
  private seenAvg = new Float64Array(0);
  private seenFills = new Float64Array(0);
  private ewVar = new Float64Array(0);
  private nRet = new Int32Array(0);
  private pausedAt = new Int32Array(0);
  private readonly exits: (Order | undefined)[][] = [];
  private readonly ddKeep: number;
  private readonly dailyKeep: number;
  private readonly jump2: number;
  private readonly ewAlpha: number;
  /** 1 − ewAlpha: the variance updates as keep·v + α·r² (one multiply-add on the dependency chain). */
  private readonly ewKeep: number;
  /** Anomaly settings read every bar, copied out of the config (no property chains on the hot path). */
  private readonly jumpWarmup: number;
  private readonly staleUs: number;
  private hwm = -Infinity;
  private dayEnd = -Infinity;
  private dayStartEquity = Number.NaN;
  private lastEquity = Number.NaN;
  private dailyTripped = false;
  /** hwm × (1 − max drawdown) and the day's start × (1 − daily limit): equity below either is rare. */
  private ddFloor = -Infinity;
  private dailyFloor = Number.NaN;
  /** The higher of the two floors (NaN-free): onStep's one compare for both breakers. */
  private floor = -Infinity;
  /** onStep goes out of line at a step this late: the day's end, or every step (-Infinity) when everyStep. */
  private stepAt = -Infinity;
  private readonly fills: { readonly fillCount: number };
  private seenFillTotal = 0;
  /**
   * Something reads every step's prices and times: the price history (more than one instrument, or a
   * volatility window) or the stale-data check. Set as instruments register; onStep then always runs
   * fullStep, and planned instruments act every bar (they keep their last price and time).
   */
  private everyStep = false;
  /** Stop loss or take profit is configured: position changes place or cancel exits. */
  private readonly managesExits: boolean;
  /** The engine's last step mark (its time and step stamp the events raised between steps). */
  private at = new StepMark();
  /**
   * onBar acts (out of line) on a bar whose index is at least actFrom[j]: every bar (EVERY_BAR) when the
   * instrument is not planned or is paused, else the next planned jump. nextJump[j] is that bar (NO_JUMP
   * when none is left), planAt[j] its position in plans[j].
   */
  private actFrom = new Int32Array(0);
  /** The lowest actFrom: onBar's one compare (a field, not an element of actFrom, on every bar). */
  private actMin = NO_JUMP;
  private nextJump = new Int32Array(0);
  private readonly plans: (JumpPlan | undefined)[] = [];
  private planAt = new Int32Array(0);

  constructor(deps: RiskMonitorDeps) {
    this.config = deps.config;
    this.states = deps.states;
    this.history = deps.history;
    this.actions = deps.actions;
    this.onEvent = deps.onEvent;
    this.fills = deps.fills;
    this.managesExits = this.config.stopLoss !== null || this.config.takeProfit !== null;
    this.killSwitch = new KillSwitch(deps.actions, deps.states);
    this.ddKeep = 1 - this.config.maxDrawdown;
    this.dailyKeep = 1 - this.config.dailyLossLimit;
    const k = this.config.anomaly.jumpSigmas;
    this.jump2 = k === null ? Infinity : k * k;
    this.ewAlpha = 1 - 2 ** (-1 / this.config.anomaly.halfLifeBars);
    this.ewKeep = 1 - this.ewAlpha;
    this.jumpWarmup = this.config.anomaly.warmupBars;
    this.staleUs = this.config.anomaly.staleAfterUs ?? Infinity;
    this.setEveryStep();
  }

  /** everyStep from the settings and the registered instruments; onStep and onBar follow it. */
  private setEveryStep(): void {
    this.everyStep = this.history.recording || this.staleUs < Infinity;
    this.stepAt = this.everyStep ? -Infinity : this.dayEnd;
    for (let j = 0; j < this.plans.length; j++) this.setActFrom(j);
  }

  /** Adds an instrument and its position; returns its index for onBar. */
  register(instrumentId: string, position: Position): number {
    const known = this.ids.indexOf(instrumentId);
    if (known >= 0) return known;
    const j = this.ids.length;
    this.ids.push(instrumentId);
    this.positions.push(position);
    this.exits.push([undefined, undefined]);
    const h = this.history.register(instrumentId);
    if (h !== j) throw new Error(`price history index ${h} does not match the monitor's ${j}`);
    const grow = <T extends NumberColumn>(a: T, fill: number): T => resized(a, j + 1, fill);
    this.lastPx = grow(this.lastPx, Number.NaN);
    this.lastTs = grow(this.lastTs, Number.NaN);
    this.seenQty = grow(this.seenQty, 0);
    this.seenAvg = grow(this.seenAvg, 0);
    this.seenFills = grow(this.seenFills, 0);
    this.ewVar = grow(this.ewVar, 0);
    this.nRet = grow(this.nRet, 0);
    this.pausedAt = grow(this.pausedAt, -1);
    this.actFrom = grow(this.actFrom, EVERY_BAR);
    this.nextJump = grow(this.nextJump, NO_JUMP);
    this.planAt = grow(this.planAt, 0);
    this.plans.push(undefined);
    this.setEveryStep();
    return j;
  }

  indexOf(instrumentId: string): number {
    return this.ids.indexOf(instrumentId);
  }

  /**
   * Per bar, after the price is marked and before strategies see it: jump and stale-data checks.
   * Hot path (every bar): kept small so the engines' loops inline it; anything that trips is a call out.
   */
  onBar(j: number, bar: Bar, step: number): void {
    // A planned instrument (a backtest) acts only at a planned jump or while paused: one compare a bar
    // (every bar when everyStep: its last price and time are kept). Calls pass the Bar, not its numbers,
    // so nothing is boxed when V8 does not inline them.
    if (bar.index >= this.actMin) this.act(j, bar, step);
  }

  /** A bar that needs work: bar by bar (not planned), or a planned jump, or a paused instrument. */
  private act(j: number, bar: Bar, step: number): void {
    // actMin is every instrument's lowest: this one may have nothing to do yet.
    if (bar.index < this.actFrom[j]!) return;
    const plan = this.plans[j];
    if (plan === undefined) {
      // Bar by bar. Rare cases (a paused instrument, no previous price) are one branch and a call out.
      if (this.pausedAt[j]! >= 0 || !(this.lastPx[j]! > 0)) this.unusualBar(j, bar, step);
      else this.testJump(j, bar, step);
    } else {
      if (this.pausedAt[j]! >= 0) this.maybeResume(j, bar.ts, step);
      if (bar.index === this.nextJump[j]) {
        const i = this.planAt[j]!;
        this.jumped(j, plan.r[i]!, plan.v[i]!, bar.ts, step);
        this.planAt[j] = i + 1;
        this.nextJump[j] = i + 1 < plan.bars.length ? plan.bars[i + 1]! : NO_JUMP;
      }
      this.setActFrom(j);
      if (!this.everyStep) return;
    }
    this.lastPx[j] = bar.close;
    this.lastTs[j] = bar.ts;
  }

  /**
   * A planned instrument acts every bar while paused (it may resume) or when everyStep (it keeps its last
   * price and time), else at its next planned jump.
   */
  private setActFrom(j: number): void {
    if (this.plans[j] !== undefined)
      this.actFrom[j] = this.pausedAt[j]! >= 0 || this.everyStep ? EVERY_BAR : this.nextJump[j]!;
    let m = NO_JUMP;
    for (let k = 0; k < this.actFrom.length; k++) if (this.actFrom[k]! < m) m = this.actFrom[k]!;
    this.actMin = m;
  }

  /** The jump test on the return since the last price: beyond k σ pauses; otherwise it enters the variance. */
  private testJump(j: number, bar: Bar, step: number): void {
    const r = bar.close / this.lastPx[j]! - 1;
    const r2 = r * r;
    const n = ++this.nRet[j]!;
    const v = this.ewVar[j]!;
    if (n > this.jumpWarmup && r2 > this.jump2 * v) this.jumped(j, r, v, bar.ts, step);
    else this.ewVar[j] = n === 1 ? r2 : this.ewKeep * v + this.ewAlpha * r2;
  }

  /**
   * Runs the jump test over an instrument's whole close column before a backtest, with the same arithmetic
   * in the same order as onBar would bar by bar (the test reads only closes: pauses, resumes and trading
   * never change the returns or the variance), and keeps the bars where it fires. onBar then acts only at
   * those and while the instrument is paused: the per-bar work left in the run's loop is one compare of
   * the bar's index (docs/BENCHMARKS.md, "The risk overhead"). The events are the
   * same, at the same steps, as bar by bar (risk-monitor.test.ts feeds both). Call before the
   * instrument's first bar, once; the bars onBar then gets must carry their index in `close` (`Bar.index`,
   * as BarSeries.read sets it).
   */
  planBars(j: number, close: Float64Array): void {
    const fresh = Number.isNaN(this.lastPx[j]!) && this.nRet[j] === 0 && this.ewVar[j] === 0;
    // A plan depends only on the closes and three settings: from a fresh state it is kept per close column
    // and reused by every later run on the same bars (an optimizer's hundreds of runs plan once; a
    // BarSeries is not changed after construction, which validated it).
    const cached = fresh ? PLANS.get(close) : undefined;
    let plan: JumpPlan;
    if (
      cached !== undefined &&
      cached.warmup === this.jumpWarmup &&
      cached.jump2 === this.jump2 &&
      cached.alpha === this.ewAlpha
    )
      plan = cached.plan;
    else {
      plan = { bars: [], r: [], v: [] };
      // No jump test configured: nothing can fire.
      if (this.jump2 !== Infinity) {
        const state = { last: this.lastPx[j]!, n: this.nRet[j]!, v: this.ewVar[j]! };
        planJumps(plan, close, state, this.jumpWarmup, this.jump2, this.ewAlpha, this.ewKeep);
      }
      if (fresh) PLANS.set(close, { warmup: this.jumpWarmup, jump2: this.jump2, alpha: this.ewAlpha, plan });
    }
    this.plans[j] = plan;
    this.planAt[j] = 0;
    this.nextJump[j] = plan.bars.length > 0 ? plan.bars[0]! : NO_JUMP;
    this.setActFrom(j);
  }

  /** onBar for a paused instrument (it may resume; its returns are still tested) or a first price. */
  private unusualBar(j: number, bar: Bar, step: number): void {
    if (this.pausedAt[j]! >= 0) this.maybeResume(j, bar.ts, step);
    if (this.lastPx[j]! > 0) this.testJump(j, bar, step);
  }

  /** A return beyond k σ: the instrument pauses and the jump does not enter the variance. */
  private jumped(j: number, r: number, v: number, ts: UnixMicros, step: number): void {
    const sigmas = Math.sqrt((r * r) / v);
    this.pause(
      j,
      'price-jump',
      ts,
      step,
      `return ${(r * 100).toFixed(2)}% is ${sigmas.toFixed(1)} σ`,
      this.config.anomaly.jumpSigmas!,
      sigmas,
    );
  }

  /**
   * Per step, after equity is known: drawdown, daily loss, position changes (exits), stale data.
   * Hot path (every step): comparisons only; the rare work is in the methods it calls.
   */
  onStep(mark: StepMark): void {
    // One test for everything rare, the work in fullStep: a new high-water mark, below either breaker's
    // floor, a new day (or every step: prices to record, stale-data checks), a fill since the last step.
    // The fill is tested only when exits are managed: fills are common, and a fullStep called that often
    // got inlined here. The first step always goes to fullStep (stepAt starts at -Infinity), which keeps
    // the mark: an engine passes the same mark every step (RiskHook.onStep), so it is not compared here.
    // The last equity is stored on each branch: after a call, V8 checks the monitor's map again before
    // a store, and the usual branch makes no call.
    const equity = mark.equity;
    if (
      equity > this.hwm ||
      equity < this.floor ||
      mark.ts >= this.stepAt ||
      (this.managesExits && this.fills.fillCount !== this.seenFillTotal)
    )
      this.fullStep(mark);
    else this.lastEquity = equity;
  }

  /** onStep's rare work; ends by storing the step's equity as the last (newDay reads the previous one). */
  private fullStep(mark: StepMark): void {
    this.at = mark;
    const { ts, equity, step } = mark;
    if (equity > this.hwm) {
      this.hwm = equity;
      this.ddFloor = equity * this.ddKeep;
      this.setFloor();
    }
    if (equity < this.hwm * this.ddKeep && !this.killSwitch.isTriggered) this.tripDrawdown(equity);
    if (ts >= this.dayEnd) this.newDay(ts, equity);
    if (equity < this.dayStartEquity * this.dailyKeep && !this.dailyTripped) this.tripDaily(equity);
    // A position changes only by a fill, and each fill counts on it: one integer compare per position.
    // Without stop loss and take profit there is nothing to manage when a position changes.
    if (this.managesExits && this.fills.fillCount !== this.seenFillTotal) {
      this.seenFillTotal = this.fills.fillCount;
      const ps = this.positions;
      for (let j = 0; j < ps.length; j++) if (ps[j]!.fillCount !== this.seenFills[j]) this.positionChanged(j);
    }
    if (this.history.recording) this.history.recordStep(this.lastPx);
    if (this.staleUs < Infinity) this.checkStale(ts, step);
    this.lastEquity = equity;
  }

  private checkStale(ts: UnixMicros, step: number): void {
    const stale = this.staleUs;
    for (let j = 0; j < this.positions.length; j++)
      if (ts - this.lastTs[j]! > stale && this.pausedAt[j]! < 0)
        this.pause(j, 'stale-data', ts, step, `no bar since ${this.lastTs[j]}`, stale, ts - this.lastTs[j]!);
  }

  /** Trips the kill switch by hand (or from an outside alarm). */
  kill(reason: string): void {
    this.emit({ kind: 'kill-switch', ts: this.ts, step: this.step, message: reason });
    this.killSwitch.trigger(reason);
  }

  /** Resumes by hand: an instrument's pause, or (no argument) the account after a halt. */
  resume(instrumentId?: string): void {
    if (instrumentId !== undefined) {
      const j = this.ids.indexOf(instrumentId);
      if (j >= 0) {
        this.pausedAt[j] = -1;
        this.setActFrom(j);
      }
      this.states.resume(instrumentId);
    } else {
      this.killSwitch.resume();
      this.hwm = this.lastEquity;
      this.ddFloor = this.hwm * this.ddKeep;
      this.dailyTripped = false;
      this.dailyFloor = this.dayStartEquity * this.dailyKeep;
      this.setFloor();
    }
    this.emit({
      kind: 'resumed',
      ts: this.ts,
      step: this.step,
      ...(instrumentId ? { instrumentId } : {}),
      message: 'resumed by hand',
    });
  }

  private get step(): number {
    return this.at.step;
  }

  private get ts(): UnixMicros {
    return this.at.ts;
  }

  get highWaterMark(): number {
    return this.hwm;
  }

  private tripDrawdown(equity: number): void {
    const dd = 1 - equity / this.hwm;
    const msg = `drawdown ${(dd * 100).toFixed(2)}% from the high-water mark ${this.hwm.toFixed(2)} exceeds ${(this.config.maxDrawdown * 100).toFixed(2)}%: all orders canceled, positions closed, trading halted`;
    this.emit({
      kind: 'max-drawdown',
      ts: this.ts,
      step: this.step,
      message: msg,
      limit: this.config.maxDrawdown,
      actual: dd,
    });
    this.killSwitch.trigger(`max drawdown ${(dd * 100).toFixed(2)}%`);
  }

  /** The floor onStep compares equity with: the higher of the drawdown and daily-loss floors. */
  private setFloor(): void {
    const d = this.dailyFloor;
    this.floor = d > this.ddFloor ? d : this.ddFloor;
  }

  private newDay(ts: UnixMicros, equity: number): void {
    this.dayEnd = (Math.floor(ts / MICROS_PER_DAY) + 1) * MICROS_PER_DAY;
    // The day's reference is the previous day's closing equity (the first step has none: its own).
    this.dayStartEquity = Number.isNaN(this.lastEquity) ? equity : this.lastEquity;
    this.dailyFloor = this.dayStartEquity * this.dailyKeep;
    this.setFloor();
    this.stepAt = this.everyStep ? -Infinity : this.dayEnd;
    if (this.dailyTripped) {
      this.dailyTripped = false;
      if (this.states.accountState() === 'reducing') this.states.setAccount('active', '');
      this.emit({
        kind: 'daily-reset',
        ts,
        step: this.step,
        message: 'new day: daily loss limit reset, trading active',
      });
    }
  }

  private tripDaily(equity: number): void {
    this.dailyTripped = true;
    this.dailyFloor = -Infinity;
    this.setFloor();
    const loss = 1 - equity / this.dayStartEquity;
    if (this.states.accountState() === 'active')
      this.states.setAccount('reducing', `daily loss ${(loss * 100).toFixed(2)}%`);
    this.emit({
      kind: 'daily-loss',
      ts: this.ts,
      step: this.step,
      message: `daily loss ${(loss * 100).toFixed(2)}% exceeds ${(this.config.dailyLossLimit * 100).toFixed(2)}%: reducing only until the next day`,
      limit: this.config.dailyLossLimit,
      actual: loss,
    });
  }

  private positionChanged(j: number): void {
    const p = this.positions[j]!;
    this.seenFills[j] = p.fillCount;
    if (p.quantity === this.seenQty[j] && p.averagePrice === this.seenAvg[j]) return;
    this.seenQty[j] = p.quantity;
    this.seenAvg[j] = p.averagePrice;
    const id = this.ids[j]!;
    const slots = this.exits[j]!;
    for (let k = 0; k < 2; k++) {
      const o = slots[k];
      if (!o) continue;
      if (o.status === 'filled' || o.status === 'partially-filled') {
        const kind = k === 0 ? 'stop-loss' : 'take-profit';
        this.emit({
          kind,
          ts: this.ts,
          step: this.step,
          instrumentId: id,
          message: `${kind} filled at ${o.averageFillPrice}`,
          actual: o.averageFillPrice,
        });
      }
      if (o.isOpen) this.actions.cancel(o);
      slots[k] = undefined;
    }
    const q = p.quantity;
    if (q === 0 || this.states.accountState() === 'halted') return;
    const long = q > 0;
    const avg = p.averagePrice;
    const { stopLoss, takeProfit } = this.config;
    if (stopLoss !== null && !this.actions.hasStrategyExit(id, 'stop-loss'))
      slots[0] = this.actions.placeExit(
        id,
        'stop-loss',
        Math.abs(q),
        avg * (long ? 1 - stopLoss : 1 + stopLoss),
      );
    if (takeProfit !== null && !this.actions.hasStrategyExit(id, 'take-profit'))
      slots[1] = this.actions.placeExit(
        id,
        'take-profit',
        Math.abs(q),
        avg * (long ? 1 + takeProfit : Math.max(0, 1 - takeProfit)),
      );
  }

  private pause(
    j: number,
    kind: 'price-jump' | 'stale-data',
    ts: UnixMicros,
    step: number,
    what: string,
    limit: number,
    actual: number,
  ): void {
    const id = this.ids[j]!;
    this.pausedAt[j] = step;
    this.setActFrom(j);
    this.states.pause(id, kind);
    this.emit({ kind, ts, step, instrumentId: id, message: `${id} paused: ${what}`, limit, actual });
  }

  private maybeResume(j: number, ts: UnixMicros, step: number): void {
    const id = this.ids[j]!;
    const why = this.states.pausedReason(id);
    const after = this.config.anomaly.resumeAfterBars;
    const due =
      why === 'stale-data' || (why === 'price-jump' && after !== null && step - this.pausedAt[j]! >= after);
    if (!due) return;
    this.pausedAt[j] = -1;
    this.setActFrom(j);
    this.states.resume(id);
    this.emit({ kind: 'resumed', ts, step, instrumentId: id, message: `${id} resumed after ${why}` });
  }

  private emit(ev: RiskEvent): void {
    this.events.push(ev);
    this.onEvent?.(ev);
  }
}

/**
 * RiskMonitor.testJump over a whole close column, from `state` (last price, returns seen, variance): the
 * same arithmetic in the same order, so the same bars fire with the same numbers.
 */
function planJumps(
  plan: JumpPlan,
  close: Float64Array,
  state: { last: number; n: number; v: number },
  warmup: number,
  jump2: number,
  alpha: number,
  keep: number,
): void {
  let { last, n, v } = state;
  for (let k = 0; k < close.length; k++) {
    const c = close[k]!;
    if (last > 0) {
      const r = c / last - 1;
      const r2 = r * r;
      if (n <= warmup) n++;
      if (n > warmup && r2 > jump2 * v) {
        plan.bars.push(k);
        plan.r.push(r);
        plan.v.push(v);
      } else v = n === 1 ? r2 : keep * v + alpha * r2;
    }
    last = c;
  }
}
