/**
 * The market-data provider port: what TickerML asks of a REST data source (an exchange through ccxt,
 * Alpha Vantage, …). Vendor types stay in the adapters; everything here is ours. Times are integer µs
 * since the Unix epoch (the kernel's UnixMicros).
 */
import { TickerError } from '../../model/index.js';

/** The error of a method an equity provider cannot serve (trades, funding, books). */
export function notSupported(provider: string, what: string): TickerError {
  return new TickerError('NOT_SUPPORTED', `${provider} has no ${what}; use a crypto venue through ccxt`, {
    field: 'provider',
    value: provider,
  });
}

/** One OHLCV bar; `ts` is the bar's open time. */
export interface Candle {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A public trade print; `aggressor` 1: the taker bought, -1: sold, 0: unknown. */
export interface PublicTrade {
  readonly ts: number;
  readonly id: string;
  readonly price: number;
  readonly size: number;
  readonly aggressor: 1 | -1 | 0;
}

/** A perpetual's funding rate for the period settled at `ts` (fraction; > 0: longs pay shorts). */
export interface FundingPoint {
  readonly ts: number;
  readonly rate: number;
}

export type PriceLevel = readonly [price: number, size: number];

/** An order book snapshot, best levels first. `sequence` is the venue's update id when it has one. */
export interface BookSnapshotData {
  /** Venue time of the snapshot; NaN when the venue does not say (Binance spot). */
  readonly ts: number;
  readonly sequence: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export interface OhlcvRequest {
  /** Unified symbol: `BTC/USDT` (spot), `BTC/USDT:USDT` (linear perpetual), `IBM` (equity). */
  readonly symbol: string;
  /** `1m`, `5m`, `1h`, `1d`, … */
  readonly timeframe: string;
  /** Inclusive start, µs. */
  readonly from?: number;
  /** Most bars in one answer (the provider may cap it lower). */
  readonly limit?: number;
}

export interface RangeRequest {
  readonly symbol: string;
  readonly from?: number;
  readonly limit?: number;
}

/** A source of market data. Methods a provider cannot serve throw TickerError `NOT_SUPPORTED`. */
export interface MarketDataProvider {
  /** Short name for logs and errors (`binance`, `alphavantage`). */
  readonly name: string;
  fetchOhlcv(req: OhlcvRequest): Promise<Candle[]>;
  fetchTrades(req: RangeRequest): Promise<PublicTrade[]>;
  fetchFundingRates(req: RangeRequest): Promise<FundingPoint[]>;
  fetchOrderBook(req: { symbol: string; depth?: number }): Promise<BookSnapshotData>;
}

/** Milliseconds per timeframe unit; `M` is taken as 30 days (only used for paging estimates). */
const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, M: 2592e6 };

/** Length of a timeframe in µs, or undefined when `tf` is not a count and a unit. */
export function timeframeMicros(tf: string): number | undefined {
  const m = /^([1-9][0-9]*)(s|m|h|d|w|M)$/.exec(tf);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! * 1000 : undefined;
}
