import { createRequire } from 'node:module';
import type ccxtModule from 'ccxt';
import { TickerError } from '../../model/index.js';
import type {
  BookSnapshotData,
  Candle,
  FundingPoint,
  MarketDataProvider,
  OhlcvRequest,
  PriceLevel,
  PublicTrade,
  RangeRequest,
} from '../../data/providers/index.js';

type Ccxt = typeof ccxtModule;
let loaded: Ccxt | undefined;
/**
 * ccxt, loaded on first use: importing it takes ~0.9 s, which every `tickerml` command paid at start
 * (the CLI registers `data download` with the others). Loaded synchronously through require so the
 * provider's constructor stays synchronous; one copy serves construction and the error classes.
 */
function ccxtLib(): Ccxt {
  return (loaded ??= createRequire(import.meta.url)('ccxt') as Ccxt);
}

/** Venues this adapter is tested against (recorded responses in test/fixtures/ccxt). */
export const CCXT_VENUES = ['binance', 'binanceusdm', 'coinbase', 'kraken', 'kucoin'] as const;
export type CcxtVenue = (typeof CCXT_VENUES)[number];

export interface CcxtProviderOptions {
  readonly venue: string;
  /**
   * Sends every REST call to this origin instead of the venue's (`http://127.0.0.1:8080`): the path
   * stays the venue's, so a local server that answers `/api/v3/klines` stands in for Binance.
   */
  readonly baseUrl?: string;
  /**
   * Market definitions in ccxt's unified shape, set instead of calling `loadMarkets()` (which downloads
   * the venue's whole catalogue). Tests pass the few markets they use.
   */
  readonly markets?: readonly Record<string, unknown>[];
  /**
   * Which of the venue's market types `loadMarkets()` downloads (ccxt's `options.fetchMarkets.types`).
   * Default for `binance`: `['spot']` (perpetuals are `binanceusdm`), else the venue's own default.
   */
  readonly marketTypes?: readonly string[];
  /** Request timeout in ms (ccxt's `timeout`, default 10000). */
  readonly timeoutMs?: number;
}

/** The slice of a ccxt exchange this adapter uses (own the port, not the vendor's type). */
interface CcxtExchange {
  urls: Record<string, unknown>;
  timeout: number;
  setMarkets(markets: unknown): unknown;
  loadMarkets(): Promise<unknown>;
  has: Record<string, unknown>;
  fetchOHLCV(symbol: string, tf: string, since?: number, limit?: number): Promise<unknown[][]>;
  fetchTrades(symbol: string, since?: number, limit?: number): Promise<Record<string, unknown>[]>;
  fetchFundingRateHistory(symbol: string, since?: number, limit?: number): Promise<Record<string, unknown>[]>;
  fetchOrderBook(symbol: string, limit?: number): Promise<Record<string, unknown>>;
}

const num = (v: unknown, field: string, venue: string): number => {
  const x = typeof v === 'string' ? Number(v) : v;
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new TickerError(
      'PROVIDER_BAD_DATA',
      `${venue}: ${field} ${JSON.stringify(v)} is not a number; the venue's answer is malformed, retry or use another provider`,
      { field, value: v },
    );
  return x;
};

/** Rewrites every URL under `urls.api` to `origin`, keeping each URL's path. */
function pointAt(api: unknown, origin: string): unknown {
  if (typeof api === 'string') {
    const u = new URL(api);
    return origin.replace(/\/$/, '') + u.pathname.replace(/\/$/, '') + u.search;
  }
  if (api && typeof api === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(api)) out[k] = pointAt(v, origin);
    return out;
  }
  return api;
}

/** Market data from crypto venues through ccxt (OHLCV, trades, funding history, book snapshots). */
export class CcxtProvider implements MarketDataProvider {
  readonly name: string;
  private readonly ex: CcxtExchange;
  private marketsReady: Promise<unknown> | undefined = undefined;

  constructor(opts: CcxtProviderOptions) {
    const ctor = (ccxtLib() as unknown as Record<string, new (cfg: object) => CcxtExchange>)[opts.venue];
    if (typeof ctor !== 'function')
      throw new TickerError(
        'INVALID_ARGUMENT',
        `venue: ${JSON.stringify(opts.venue)} is not a ccxt exchange; use one of ${CCXT_VENUES.join(', ')}`,
        { field: 'venue', value: opts.venue },
      );
    if (opts.baseUrl !== undefined && !/^https?:\/\/[^/]+/.test(opts.baseUrl))
      throw new TickerError(
        'INVALID_ARGUMENT',
        `baseUrl: ${JSON.stringify(opts.baseUrl)} is not an http(s) origin; give e.g. http://127.0.0.1:8080`,
        { field: 'baseUrl', value: opts.baseUrl },
      );
    this.name = opts.venue;
    const types = opts.marketTypes ?? (opts.venue === 'binance' ? ['spot'] : undefined);
    // ccxt's own throttle is off: ManagedProvider's token bucket paces requests across callers.
    this.ex = new ctor({
      enableRateLimit: false,
      timeout: opts.timeoutMs ?? 10_000,
      ...(types ? { options: { fetchMarkets: { types } } } : {}),
    });
    if (opts.baseUrl !== undefined) this.ex.urls.api = pointAt(this.ex.urls.api, opts.baseUrl);
    if (opts.markets) {
      this.ex.setMarkets(opts.markets);
      this.marketsReady = Promise.resolve();
    }
  }

  async fetchOhlcv(req: OhlcvRequest): Promise<Candle[]> {
    const rows = await this.run('fetchOHLCV', () =>
      this.ex.fetchOHLCV(req.symbol, req.timeframe, msOf(req.from), req.limit),
    );
    return rows.map((r, i) => ({
      ts: num(r[0], `ohlcv[${i}].time`, this.name) * 1000,
      open: num(r[1], `ohlcv[${i}].open`, this.name),
      high: num(r[2], `ohlcv[${i}].high`, this.name),
      low: num(r[3], `ohlcv[${i}].low`, this.name),
      close: num(r[4], `ohlcv[${i}].close`, this.name),
      volume: r[5] === undefined || r[5] === null ? 0 : num(r[5], `ohlcv[${i}].volume`, this.name),
    }));
  }

  async fetchTrades(req: RangeRequest): Promise<PublicTrade[]> {
    const rows = await this.run('fetchTrades', () =>
      this.ex.fetchTrades(req.symbol, msOf(req.from), req.limit),
    );
    return rows.map((t, i) => ({
      ts: num(t.timestamp, `trades[${i}].timestamp`, this.name) * 1000,
      id: String(t.id ?? i),
      price: num(t.price, `trades[${i}].price`, this.name),
      size: num(t.amount, `trades[${i}].amount`, this.name),
      aggressor: t.side === 'buy' ? 1 : t.side === 'sell' ? -1 : 0,
    }));
  }

  async fetchFundingRates(req: RangeRequest): Promise<FundingPoint[]> {
    if (!this.ex.has.fetchFundingRateHistory)
      throw new TickerError(
        'NOT_SUPPORTED',
        `${this.name} has no funding rate history; use a derivatives venue such as binanceusdm`,
        { field: 'provider', value: this.name },
      );
    const rows = await this.run('fetchFundingRateHistory', () =>
      this.ex.fetchFundingRateHistory(req.symbol, msOf(req.from), req.limit),
    );
    return rows.map((f, i) => ({
      ts: num(f.timestamp, `funding[${i}].timestamp`, this.name) * 1000,
      rate: num(f.fundingRate, `funding[${i}].fundingRate`, this.name),
    }));
  }

  async fetchOrderBook(req: { symbol: string; depth?: number }): Promise<BookSnapshotData> {
    const b = await this.run('fetchOrderBook', () => this.ex.fetchOrderBook(req.symbol, req.depth));
    const side = (v: unknown, f: string): PriceLevel[] =>
      (Array.isArray(v) ? (v as unknown[][]) : []).map((l, i) => [
        num(l[0], `${f}[${i}].price`, this.name),
        num(l[1], `${f}[${i}].size`, this.name),
      ]);
    return {
      ts: typeof b.timestamp === 'number' ? b.timestamp * 1000 : Number.NaN,
      sequence: typeof b.nonce === 'number' ? b.nonce : Number.NaN,
      bids: side(b.bids, 'bids'),
      asks: side(b.asks, 'asks'),
    };
  }

  /** Runs a ccxt call, turning ccxt's errors into TickerErrors that say what to do. */
  private async run<T>(method: string, call: () => Promise<T>): Promise<T> {
    try {
      this.marketsReady ??= this.ex.loadMarkets();
      await this.marketsReady;
      return await call();
    } catch (e) {
      if (e instanceof TickerError) throw e;
      const err = e as Error;
      const ccxt = ccxtLib();
      const network = e instanceof ccxt.NetworkError;
      if (e instanceof ccxt.BadSymbol || e instanceof ccxt.BadRequest)
        throw new TickerError(
          'INVALID_ARGUMENT',
          `${this.name}.${method}: ${err.message}; check the symbol and timeframe`,
          {
            field: 'symbol',
            cause: e,
          },
        );
      throw new TickerError(
        network ? 'PROVIDER_NETWORK' : 'PROVIDER_ERROR',
        `${this.name}.${method} failed: ${err.message}${network ? ' (network: retry later or use another provider)' : ''}`,
        { cause: e },
      );
    }
  }
}

const msOf = (us: number | undefined): number | undefined =>
  us === undefined ? undefined : Math.floor(us / 1000);
