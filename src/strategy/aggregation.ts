import { invalid } from '../model/index.js';
import { defaultPositionValue } from '../risk/sizing.js';
import { type Signal, signalWeight } from './signal.js';

/** How a StrategyManager turns signals into one target per instrument (docs/STRATEGIES.md). */
export interface AggregationOptions {
  /** Share of a strategy's capital a full-strength, full-confidence signal puts in the position (default 0.02). */
  readonly riskShare?: number;
  /** Kelly fraction applied to every signal (default 1: riskShare alone sets the size). */
  readonly kelly?: number;
  /** Cap of one strategy's position value as a share of its capital (default 0.25). */
  readonly maxPositionShare?: number;
  /**
   * Opposing signals: when the weaker side's total value is at least this share of the stronger side's,
   * the manager stands aside (target 0); below it the two sides are netted. Default 0.5; 0 stands aside
   * on any disagreement, 1 only on an exact tie.
   */
  readonly conflictRatio?: number;
}

export interface Contribution {
  readonly strategyId: string;
  /** Signed position value the strategy asks for, in account currency. */
  readonly value: number;
}

export interface Aggregate {
  /** Signed target position value (account currency). */
  readonly target: number;
  /** Σ of the long contributions and Σ |short contributions| before resolution. */
  readonly long: number;
  readonly short: number;
  readonly resolution: 'agree' | 'netted' | 'stand-aside';
  /** Each strategy's share of the target after resolution (Σ = target). */
  readonly contributions: ReadonlyMap<string, number>;
}

/**
 * One strategy's contribution: its signal sized by the risk layer's default sizing
 * (risk/sizing.ts `defaultPositionValue`) on the capital allocated to it,
 * value = equity × allocation × riskShare × strength × confidence × kelly (signed by the direction),
 * capped at equity × allocation × maxPositionShare. Confidence and allocation are the weights.
 */
export function contributionOf(
  signal: Pick<Signal, 'direction' | 'strength' | 'confidence'>,
  equity: number,
  allocation: number,
  o: AggregationOptions = {},
): number {
  return defaultPositionValue({
    equity: equity * allocation,
    signal: signalWeight(signal),
    kelly: o.kelly ?? 1,
    riskShare: o.riskShare ?? 0.02,
    maxPositionShare: o.maxPositionShare ?? 0.25,
  });
}

/**
 * Sums the contributions, resolving conflicts: L = Σ long values, S = Σ |short values|. Both sides
 * present and min(L, S) ≥ conflictRatio × max(L, S) → stand aside (target 0, every share 0); otherwise
 * target = L − S and every strategy keeps its own contribution (the opposing ones are crossed inside
 * the manager at the mark, without an order).
 */
export function aggregate(contribs: readonly Contribution[], conflictRatio = 0.5): Aggregate {
  if (!(conflictRatio >= 0 && conflictRatio <= 1))
    throw invalid('manager.conflictRatio', conflictRatio, 'must be in [0, 1]');
  let long = 0;
  let short = 0;
  for (const c of contribs)
    if (c.value > 0) long += c.value;
    else short -= c.value;
  const conflict = long > 0 && short > 0;
  const standAside = conflict && Math.min(long, short) >= conflictRatio * Math.max(long, short);
  const contributions = new Map<string, number>();
  for (const c of contribs) contributions.set(c.strategyId, standAside ? 0 : c.value);
  return {
    target: standAside ? 0 : long - short,
    long,
    short,
    resolution: standAside ? 'stand-aside' : conflict ? 'netted' : 'agree',
    contributions,
  };
}
