import { invalid } from '../../model/index.js';

/** One of our fills as the markout needs it. */
export interface MarkoutFill {
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly quantity: number;
  readonly ts: number;
  readonly liquidity: 'maker' | 'taker';
}

export interface MarkoutOptions {
  /** Horizons after each fill, µs (default +1 s, +10 s, +60 s). */
  readonly horizonsUs?: readonly number[];
  /** A fill is toxic at a horizon when the mid moved against it by more than this many bps (default 1). */
  readonly toxicBps?: number;
}

/** Per fill: the mid at the fill and, per horizon, the mid's move in our favour in bps (NaN past the data). */
export interface FillMarkout {
  readonly fill: number;
  readonly midAtFill: number;
  /** side × (mid(t + h) − mid(t)) / mid(t) × 10⁴: < 0 the market moved against us (adverse selection). */
  readonly moveBps: readonly number[];
  /** side × (mid(t + h) − fill price) / fill price × 10⁴: the fill's mark-to-market edge, spread included. */
  readonly edgeBps: readonly number[];
}

export interface HorizonSummary {
  readonly horizonUs: number;
  /** Fills with a mid at t + h (the rest fall past the end of the data). */
  readonly measured: number;
  /** Average mid move in our favour, bps (negative: adverse selection). */
  readonly avgMoveBps: number;
  /** Average edge against the fill price, bps. */
  readonly avgEdgeBps: number;
  /** Share of measured fills whose mid move was worse than −toxicBps. */
  readonly toxicShare: number;
}

export interface StrategyMarkouts {
  readonly strategyId: string;
  readonly fills: number;
  readonly makerFills: number;
  readonly horizons: readonly HorizonSummary[];
}

export interface MarkoutReport {
  readonly horizonsUs: readonly number[];
  readonly toxicBps: number;
  readonly perFill: readonly FillMarkout[];
  readonly strategies: readonly StrategyMarkouts[];
}

/** The last value at or before `t` of a step series (NaN before the first point or past `end`). */
/** A step series of the mid price: `mid[i]` holds from `ts[i]` until `ts[i + 1]`. */
export interface MidSeries {
  readonly ts: ArrayLike<number>;
  readonly mid: ArrayLike<number>;
  readonly length: number;
}

function midAt(path: MidSeries, t: number): number {
  const ts = path.ts;
  const n = path.length;
  let lo = 0;
  let hi = n - 1;
  if (n === 0 || t < ts[0]!) return Number.NaN;
  while (lo < hi) {
    const m = (lo + hi + 1) >> 1;
    if (ts[m]! <= t) lo = m;
    else hi = m - 1;
  }
  return path.mid[lo]!;
}

/**
 * Markouts: how the mid price moved after each of our fills, at fixed horizons (the standard measure of
 * adverse selection for a market maker: fills that are followed by the price running through them were
 * picked off by better-informed traders). `midPath` gives each instrument's mid-price path; a horizon
 * past `endTs` (the end of the data) is not measured.
 */
export function computeMarkouts(
  fills: readonly MarkoutFill[],
  midPath: (instrumentId: string) => MidSeries | undefined,
  endTs: number,
  opts: MarkoutOptions = {},
): MarkoutReport {
  const horizons = opts.horizonsUs ?? [1_000_000, 10_000_000, 60_000_000];
  const toxicBps = opts.toxicBps ?? 1;
  for (const h of horizons) if (!(h > 0)) throw invalid('markouts.horizonsUs', h, 'must be positive µs');
  if (!(toxicBps >= 0)) throw invalid('markouts.toxicBps', toxicBps, 'must be >= 0');
  const perFill: FillMarkout[] = [];
  const by = new Map<
    string,
    { fills: number; maker: number; n: number[]; move: number[]; edge: number[]; toxic: number[] }
  >();
  fills.forEach((f, i) => {
    const s = f.side === 'buy' ? 1 : -1;
    const path = midPath(f.instrumentId);
    const m0 = path ? midAt(path, f.ts) : Number.NaN;
    const moveBps: number[] = [];
    const edgeBps: number[] = [];
    let acc = by.get(f.strategyId);
    if (!acc) {
      acc = {
        fills: 0,
        maker: 0,
        n: horizons.map(() => 0),
        move: horizons.map(() => 0),
        edge: horizons.map(() => 0),
        toxic: horizons.map(() => 0),
      };
      by.set(f.strategyId, acc);
    }
    acc.fills++;
    if (f.liquidity === 'maker') acc.maker++;
    horizons.forEach((h, k) => {
      const t = f.ts + h;
      const m1 = path && t <= endTs ? midAt(path, t) : Number.NaN;
      const mv = ((s * (m1 - m0)) / m0) * 1e4;
      const ed = ((s * (m1 - f.price)) / f.price) * 1e4;
      moveBps.push(mv);
      edgeBps.push(ed);
      if (Number.isFinite(mv)) {
        acc.n[k]!++;
        acc.move[k]! += mv;
        acc.edge[k]! += ed;
        if (mv < -toxicBps) acc.toxic[k]!++;
      }
    });
    perFill.push({ fill: i, midAtFill: m0, moveBps, edgeBps });
  });
  const strategies = [...by.entries()].map(([strategyId, a]) => ({
    strategyId,
    fills: a.fills,
    makerFills: a.maker,
    horizons: horizons.map((h, k) => ({
      horizonUs: h,
      measured: a.n[k]!,
      avgMoveBps: a.n[k]! ? a.move[k]! / a.n[k]! : Number.NaN,
      avgEdgeBps: a.n[k]! ? a.edge[k]! / a.n[k]! : Number.NaN,
      toxicShare: a.n[k]! ? a.toxic[k]! / a.n[k]! : Number.NaN,
    })),
  }));
  return { horizonsUs: horizons, toxicBps, perFill, strategies };
}

/** A growable step series of the mid price (the engine appends after each complete book message). */
export class MidPath implements MidSeries {
  ts = new Float64Array(1024);
  mid = new Float64Array(1024);
  length = 0;
  /** Appends when the mid changed (a step series needs no repeats). */
  push(t: number, m: number): void {
    const n = this.length;
    if (n > 0 && this.mid[n - 1] === m) return;
    if (n > 0 && this.ts[n - 1] === t) {
      this.mid[n - 1] = m;
      return;
    }
    if (n === this.ts.length) {
      const a = new Float64Array(n * 2);
      a.set(this.ts);
      this.ts = a;
      const b = new Float64Array(n * 2);
      b.set(this.mid);
      this.mid = b;
    }
    this.ts[n] = t;
    this.mid[n] = m;
    this.length = n + 1;
  }
}
