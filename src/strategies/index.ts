import type { z } from 'zod';
import { TickerError } from '../model/index.js';
import type { Strategy } from '../strategy/strategy.js';
import { MaCrossConfidence, maCrossConfidenceParams } from './ma-cross-confidence.js';
import { MomentumTrend, momentumTrendParams } from './momentum-trend.js';
import { RsiReversion, rsiReversionParams } from './rsi-reversion.js';
import { SmaCross, smaCrossParams } from './sma-cross.js';
import { BookImbalance, bookImbalanceParams } from './book-imbalance.js';
import { MarketMaker, marketMakerParams } from './market-maker.js';

export interface StrategyEntry {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType;
  create(params: Record<string, unknown>, id?: string): Strategy<object>;
}

/** The built-in strategies by CLI name. */
export const STRATEGIES: ReadonlyMap<string, StrategyEntry> = new Map([
  [
    'sma-cross',
    {
      name: 'sma-cross',
      description: 'long when the fast SMA crosses above the slow SMA; flat (or short) on the cross below',
      params: smaCrossParams,
      create: (p: Record<string, unknown>, id?: string) => new SmaCross(p, id),
    },
  ],
  [
    'rsi-reversion',
    {
      name: 'rsi-reversion',
      description:
        'buys RSI-oversold dips above the trend SMA, sized by ATR risk, with an ATR stop; exits at RSI 50',
      params: rsiReversionParams,
      create: (p: Record<string, unknown>, id?: string) => new RsiReversion(p, id),
    },
  ],
  [
    'momentum-trend',
    {
      name: 'momentum-trend',
      description:
        'Donchian breakout with ATR-sized pyramiding, a chandelier trailing stop and an RSI divergence exit',
      params: momentumTrendParams,
      create: (p: Record<string, unknown>, id?: string) => new MomentumTrend(p, id),
    },
  ],
  [
    'ma-cross-confidence',
    {
      name: 'ma-cross-confidence',
      description:
        'MA crossover entered once the averages separate (confidence in ATRs) on above-average volume; size scales with confidence',
      params: maCrossConfidenceParams,
      create: (p: Record<string, unknown>, id?: string) => new MaCrossConfidence(p, id),
    },
  ],
]);

export function createStrategy(name: string, params: Record<string, unknown>, id?: string): Strategy<object> {
  return createFrom(STRATEGIES, name, params, id);
}

/** createStrategy for the L2 strategies (L2_STRATEGIES), which run on the L2BacktestEngine. */
export function createL2Strategy(
  name: string,
  params: Record<string, unknown>,
  id?: string,
): Strategy<object> {
  return createFrom(L2_STRATEGIES, name, params, id);
}

function createFrom(
  table: ReadonlyMap<string, StrategyEntry>,
  name: string,
  params: Record<string, unknown>,
  id?: string,
): Strategy<object> {
  const entry = table.get(name);
  if (!entry)
    throw new TickerError(
      'UNKNOWN_STRATEGY',
      `unknown strategy '${name}'; known strategies: ${[...table.keys()].join(', ')}`,
      {
        field: 'strategy',
        value: name,
      },
    );
  const parsed = entry.params.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(params)';
    throw new TickerError(
      'INVALID_PARAM',
      `strategy ${name}: param ${field} = ${JSON.stringify(params[field as string])}: ${issue.message}`,
      { field: `param.${field}`, value: params[field as string] },
    );
  }
  return entry.create(parsed.data as Record<string, unknown>, id);
}

export {
  MaCrossConfidence,
  maCrossConfidenceParams,
  MomentumTrend,
  momentumTrendParams,
  RsiReversion,
  rsiReversionParams,
  SmaCross,
  smaCrossParams,
};
// L2 strategies need book data (L2BacktestEngine), so they are not in the bar-backtest table above.
export { MarketMaker, marketMakerParams } from './market-maker.js';
export { BookImbalance, bookImbalanceParams };

/** Strategies that need L2 data (books, trades) and run on the L2BacktestEngine, by name. */
export const L2_STRATEGIES: ReadonlyMap<string, StrategyEntry> = new Map([
  [
    'market-maker',
    {
      name: 'market-maker',
      description: 'two-sided post-only quotes around the microprice, leaning against inventory',
      params: marketMakerParams,
      create: (p: Record<string, unknown>, id?: string) => new MarketMaker(p, id),
    },
  ],
  [
    'book-imbalance',
    {
      name: 'book-imbalance',
      description:
        'market orders on a depth-weighted order book imbalance beyond a threshold, out when it fades (or signals for a manager)',
      params: bookImbalanceParams,
      create: (p: Record<string, unknown>, id?: string) => new BookImbalance(p, id),
    },
  ],
]);
