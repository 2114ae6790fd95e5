import { invalid } from './errors.js';
import { type InstrumentId, instrumentId } from './ids.js';
import { decimalsOf, snap } from './precision.js';
import { liveShapes } from './shapes.js';

export type InstrumentKind = 'spot' | 'perpetual' | 'equity';

export interface InstrumentSpec {
  /** Unique id, conventionally `SYMBOL.VENUE`, e.g. `BTCUSDT.BINANCE` or `GOOG.NASDAQ`. */
  readonly id: string;
  readonly kind: InstrumentKind;
  readonly symbol?: string;
  readonly venue?: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly minQuantity?: number;
  readonly minNotional?: number;
  /** Fee rates as fractions of notional (0.001 = 10 bps); negative maker fee means a rebate. */
  readonly makerFee?: number;
  readonly takerFee?: number;
  /** Contract multiplier (1 for spot and linear perpetuals). */
  readonly multiplier?: number;
}

/** A tradable instrument with its increments; prices and sizes are snapped to them at every order and fill. */
export class Instrument {
  readonly id: InstrumentId;
  readonly kind: InstrumentKind;
  readonly symbol: string;
  readonly venue: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly minQuantity: number;
  readonly minNotional: number;
  readonly makerFee: number;
  readonly takerFee: number;
  readonly multiplier: number;
  readonly priceDecimals: number;
  readonly sizeDecimals: number;

  constructor(spec: InstrumentSpec) {
    if (!spec.id) throw invalid('instrument.id', spec.id, 'must be a non-empty string');
    if (!['spot', 'perpetual', 'equity'].includes(spec.kind))
      throw invalid('instrument.kind', spec.kind, "must be 'spot', 'perpetual' or 'equity'");
    for (const f of ['tickSize', 'lotSize'] as const) {
      const v = spec[f];
      if (!(Number.isFinite(v) && v > 0)) throw invalid(`instrument.${f}`, v, 'must be a positive number');
    }
    this.id = instrumentId(spec.id);
    this.kind = spec.kind;
    const dot = spec.id.lastIndexOf('.');
    this.symbol = spec.symbol ?? (dot > 0 ? spec.id.slice(0, dot) : spec.id);
    this.venue = spec.venue ?? (dot > 0 ? spec.id.slice(dot + 1) : 'SIM');
    this.base = spec.base;
    this.quote = spec.quote;
    this.tickSize = spec.tickSize;
    this.lotSize = spec.lotSize;
    this.minQuantity = spec.minQuantity ?? spec.lotSize;
    this.minNotional = spec.minNotional ?? 0;
    this.makerFee = spec.makerFee ?? 0;
    this.takerFee = spec.takerFee ?? 0;
    this.multiplier = spec.multiplier ?? 1;
    this.priceDecimals = decimalsOf(spec.tickSize);
    this.sizeDecimals = decimalsOf(spec.lotSize);
    liveShapes.instrument = this;
  }

  roundPrice(p: number, mode: 'nearest' | 'down' | 'up' = 'nearest'): number {
    return snap(p, this.tickSize, this.priceDecimals, mode);
  }

  /** Quantities round toward zero by default: never trade more than asked. */
  roundQuantity(q: number, mode: 'nearest' | 'down' | 'up' = 'down'): number {
    return snap(q, this.lotSize, this.sizeDecimals, mode);
  }

  notional(quantity: number, price: number): number {
    return quantity * price * this.multiplier;
  }
}

/** A generic equity-like instrument for CSV backtests: whole shares, cent ticks. */
export function defaultInstrument(id: string, overrides: Partial<InstrumentSpec> = {}): Instrument {
  return new Instrument({
    id,
    kind: 'equity',
    base: id.split('.')[0] ?? id,
    quote: 'USD',
    tickSize: 1e-8,
    lotSize: 1,
    minQuantity: 1,
    ...overrides,
  });
}
