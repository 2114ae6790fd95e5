import { type InstrumentId, type StrategyId, type UnixMicros, invalid } from '../model/index.js';

/**
 * A strategy's opinion about one instrument, sent with `ctx.signal(…)` instead of orders. A
 * StrategyManager (strategy/manager.ts) sizes it, nets it against the other strategies' signals and
 * trades the result; without a manager nobody listens and the signal has no effect.
 */
export interface SignalInput {
  /** Defaults to the strategy's first instrument. */
  readonly instrumentId?: InstrumentId | string;
  /** 'flat' withdraws the strategy's opinion (its share of the target goes to 0). */
  readonly direction: 'long' | 'short' | 'flat';
  /** How much of the strategy's capital it wants in the position, 0 … 1. */
  readonly strength: number;
  /** How sure it is, 0 … 1; the manager weighs signals by it. */
  readonly confidence: number;
}

/** A signal as published on the bus: validated, stamped with its strategy, instrument and kernel time. */
export interface Signal {
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly direction: 'long' | 'short' | 'flat';
  readonly strength: number;
  readonly confidence: number;
  readonly ts: UnixMicros;
}

/** Bus topic of every signal (payload: Signal). */
export const SIGNALS_TOPIC = 'strategy.signals';

/** Validates a signal (throws INVALID_ARGUMENT naming the field: a bad signal is a strategy bug). */
export function checkSignal(s: SignalInput): void {
  if (s.direction !== 'long' && s.direction !== 'short' && s.direction !== 'flat')
    throw invalid('signal.direction', s.direction, "must be 'long', 'short' or 'flat'");
  if (!(s.strength >= 0 && s.strength <= 1))
    throw invalid('signal.strength', s.strength, 'must be in [0, 1]');
  if (!(s.confidence >= 0 && s.confidence <= 1))
    throw invalid('signal.confidence', s.confidence, 'must be in [0, 1]');
}

/** −1, 0 or 1 × strength × confidence: the share of its capital the strategy asks for, signed. */
export function signalWeight(s: Pick<Signal, 'direction' | 'strength' | 'confidence'>): number {
  const d = s.direction === 'long' ? 1 : s.direction === 'short' ? -1 : 0;
  return d * s.strength * s.confidence;
}
