import createYahooFinance from 'yahoo-finance2/createYahooFinance';
import { chart } from 'yahoo-finance2/modules';
import { TickerError } from '../../model/index.js';
import {
  type BookSnapshotData,
  type Candle,
  type FundingPoint,
  type MarketDataProvider,
  type OhlcvRequest,
  type PublicTrade,
  timeframeMicros,
  notSupported,
} from '../../data/providers/index.js';

export interface YahooProviderOptions {
  /**
   * Origin that answers Yahoo's chart API (default https://query2.finance.yahoo.com): the path
   * `/v8/finance/chart/{symbol}` stays Yahoo's, so a local server or a mirror can stand in.
   */
  readonly baseUrl?: string;
  /** Per-request timeout in ms (default 10000). */
  readonly timeoutMs?: number;
  /**
   * `splits` (default): OHLC as Yahoo publishes them, i.e. as traded but adjusted for later splits.
   * `splits+dividends`: open, high, low and close scaled by adjclose / close (total-return prices).
   */
  readonly adjust?: 'splits' | 'splits+dividends';
  /** Intraday bars outside regular hours (Yahoo's `includePrePost`, default false). */
  readonly includePrePost?: boolean;
  /** Warnings from yahoo-finance2 (schema drift, notices). Default: console.warn. */
  readonly onWarning?: (message: string) => void;
}

/** One chart answer: bars in µs plus what Yahoo says beside them. */
export interface YahooChart {
  readonly symbol: string;
  readonly candles: Candle[];
  /** Yahoo's adjclose per candle (split- and dividend-adjusted close); NaN where Yahoo gave none. */
  readonly adjClose: number[];
  /** Bars Yahoo sent with a null open, high, low, close or volume (halted or empty periods), skipped. */
  readonly nullBars: number;
  readonly currency: string | undefined;
  readonly exchangeTimezone: string | undefined;
}

/** Our timeframes → Yahoo's chart intervals (https://query2.finance.yahoo.com/v8/finance/chart). */
const INTERVAL: Record<string, string> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '60m',
  '1d': '1d',
  '1w': '1wk',
  '1M': '1mo',
};
const DAY_S = 86_400;
/** Yahoo serves 1m bars at most 8 days per request; 7 days still spans a weekend and a holiday. */
const MIN_WINDOW_S = 7 * DAY_S;

/** The slice of a yahoo-finance2 chart answer (`return: 'object'`) we read. */
interface ChartObject {
  meta: { symbol?: string; currency?: string | null; gmtoffset?: number; exchangeTimezoneName?: string };
  timestamp?: number[];
  indicators: {
    quote: {
      open?: (number | null)[];
      high?: (number | null)[];
      low?: (number | null)[];
      close?: (number | null)[];
      volume?: (number | null)[];
    }[];
    adjclose?: { adjclose?: (number | null)[] }[];
  };
}
interface ChartClient {
  chart(symbol: string, query: Record<string, unknown>): Promise<ChartObject>;
}
const YahooFinance = createYahooFinance({ modules: { chart } });

/**
 * Equity bars from Yahoo Finance's chart API through yahoo-finance2 (v4). The chart endpoint needs
 * no cookie or crumb, so none is fetched. Bar times: intraday bars keep Yahoo's open time (UTC);
 * daily, weekly and monthly bars are stamped 00:00 UTC of the exchange's trading date (Yahoo stamps
 * them at the session open, e.g. 14:30 UTC for NASDAQ), like the other daily sources here.
 */
export class YahooProvider implements MarketDataProvider {
  readonly name = 'yahoo';
  /** Null bars skipped since this provider was made (see YahooChart.nullBars). */
  nullBarsSkipped = 0;
  private readonly base: string;
  private readonly client: ChartClient;

  constructor(private readonly opts: YahooProviderOptions = {}) {
    const base = opts.baseUrl ?? 'https://query2.finance.yahoo.com';
    if (!/^https?:\/\/[^/]+\/?$/.test(base))
      throw new TickerError('INVALID_ARGUMENT', `baseUrl: ${JSON.stringify(base)} is not an http(s) origin`, {
        field: 'baseUrl',
        value: base,
      });
    this.base = base.replace(/\/$/, '');
    const warn = opts.onWarning ?? ((m: string) => console.warn(m));
    const say = (...a: unknown[]) => {
      const m = a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ');
      // yahoo-finance2 v4 declares Node >= 22; its chart module is tested here on Node 20.
      if (!m.includes('Unsupported environment')) warn(`yahoo-finance2: ${m}`);
    };
    this.client = new YahooFinance({
      fetch: (input: string | URL | Request, init?: RequestInit) => this.fetch(input, init),
      logger: { info: () => {}, debug: () => {}, warn: say, error: say, dir: say },
      suppressNotices: ['yahooSurvey'],
      versionCheck: false,
    }) as unknown as ChartClient;
  }

  async fetchOhlcv(req: OhlcvRequest): Promise<Candle[]> {
    const c = await this.fetchChart(req);
    if (this.opts.adjust !== 'splits+dividends') return c.candles;
    return c.candles.map((b, i) => {
      const f = c.adjClose[i]! / b.close;
      if (!Number.isFinite(f))
        throw new TickerError(
          'PROVIDER_BAD_DATA',
          `yahoo: ${req.symbol} has no adjclose at ${new Date(b.ts / 1000).toISOString()}; use adjust: 'splits'`,
          { field: 'adjclose', value: c.adjClose[i] },
        );
      return { ...b, open: b.open * f, high: b.high * f, low: b.low * f, close: c.adjClose[i]! };
    });
  }

  /** Bars from `req.from` (inclusive; default: the last `limit` bars up to now), with adjclose. */
  async fetchChart(req: OhlcvRequest): Promise<YahooChart> {
    const interval = INTERVAL[req.timeframe];
    const step = timeframeMicros(req.timeframe);
    if (!interval || step === undefined)
      throw new TickerError(
        'INVALID_ARGUMENT',
        `timeframe: ${JSON.stringify(req.timeframe)} is not offered by Yahoo's chart API; use ${Object.keys(INTERVAL).join(', ')}`,
        { field: 'timeframe', value: req.timeframe },
      );
    const daily = step >= DAY_S * 1e6;
    const limit = req.limit ?? 1000;
    const span = Math.max(MIN_WINDOW_S, Math.ceil((limit * step) / 1e6));
    let period1: number;
    let period2: number;
    if (req.from === undefined) {
      period2 = Math.floor(Date.now() / 1000);
      period1 = period2 - span;
    } else {
      // A day early for daily bars: an exchange east of UTC opens before 00:00 UTC of its date.
      period1 = Math.floor(req.from / 1e6) - (daily ? DAY_S : 0);
      period2 = period1 + span;
    }
    let raw: ChartObject;
    try {
      raw = await this.client.chart(req.symbol, {
        period1,
        period2,
        interval,
        includePrePost: this.opts.includePrePost ?? false,
        return: 'object',
      });
    } catch (e) {
      throw this.explain(e, req.symbol, interval);
    }
    const out = this.parse(req.symbol, raw, daily);
    let first = 0;
    if (req.from !== undefined)
      while (first < out.candles.length && out.candles[first]!.ts < req.from) first++;
    const end = req.from === undefined ? out.candles.length : Math.min(out.candles.length, first + limit);
    const start = req.from === undefined ? Math.max(0, end - limit) : first;
    return { ...out, candles: out.candles.slice(start, end), adjClose: out.adjClose.slice(start, end) };
  }

  fetchTrades(): Promise<PublicTrade[]> {
    return Promise.reject(notSupported('yahoo', 'public trades'));
  }
  fetchFundingRates(): Promise<FundingPoint[]> {
    return Promise.reject(notSupported('yahoo', 'funding rates'));
  }
  fetchOrderBook(): Promise<BookSnapshotData> {
    return Promise.reject(notSupported('yahoo', 'order books'));
  }

  private parse(symbol: string, r: ChartObject, daily: boolean): YahooChart {
    const ts = r.timestamp ?? [];
    const q = r.indicators.quote[0] ?? {};
    const adj = r.indicators.adjclose?.[0]?.adjclose;
    const gmtoffset = r.meta.gmtoffset ?? 0;
    const candles: Candle[] = [];
    const adjClose: number[] = [];
    let nullBars = 0;
    for (let i = 0; i < ts.length; i++) {
      const o = q.open?.[i];
      const h = q.high?.[i];
      const l = q.low?.[i];
      const c = q.close?.[i];
      const v = q.volume?.[i];
      if (o == null || h == null || l == null || c == null || v == null) {
        nullBars++;
        continue;
      }
      // Daily+ bars: the exchange's local date (session open + its UTC offset) at 00:00 UTC.
      const t = daily ? Math.floor((ts[i]! + gmtoffset) / DAY_S) * DAY_S * 1e6 : ts[i]! * 1e6;
      const bar = { ts: t, open: o, high: h, low: l, close: c, volume: v };
      const a = adj?.[i] ?? Number.NaN;
      if (candles.length > 0 && candles[candles.length - 1]!.ts === t) {
        candles[candles.length - 1] = bar; // Yahoo repeats today's daily bar as a live one: keep the later
        adjClose[adjClose.length - 1] = a;
      } else {
        candles.push(bar);
        adjClose.push(a);
      }
    }
    this.nullBarsSkipped += nullBars;
    if (nullBars > 0)
      this.opts.onWarning?.(`yahoo: ${symbol}: skipped ${nullBars} bar(s) Yahoo sent as null`);
    return {
      symbol,
      candles,
      adjClose,
      nullBars,
      currency: r.meta.currency ?? undefined,
      exchangeTimezone: r.meta.exchangeTimezoneName,
    };
  }

  /** Sends yahoo-finance2's requests to `baseUrl`, with a timeout; non-JSON HTTP errors stop here. */
  private async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const u = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const url = `${this.base}${u.pathname}${u.search}`;
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    if (res.ok) return res;
    const text = await res.text();
    if (/^\s*\{/.test(text)) return new Response(text, { status: res.status, headers: res.headers });
    throw new TickerError(
      res.status === 429 ? 'PROVIDER_RATE_LIMITED' : 'PROVIDER_ERROR',
      `yahoo: HTTP ${res.status} from ${this.base}${u.pathname}: ${text.slice(0, 200) || res.statusText}`,
      { field: 'symbol', value: decodeURIComponent(u.pathname.split('/').pop() ?? '') },
    );
  }

  private explain(e: unknown, symbol: string, interval: string): TickerError {
    if (e instanceof TickerError) return e;
    const err = e instanceof Error ? e : new Error(String(e));
    const cause = (err as { cause?: { message?: string } }).cause;
    if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.message === 'fetch failed')
      return new TickerError(
        'PROVIDER_NETWORK',
        `yahoo: ${this.base} unreachable for ${symbol} (${cause?.message ?? err.message}); check the network or --base-url`,
        { field: 'symbol', value: symbol, cause: e },
      );
    // yahoo-finance2 names Yahoo's own error envelope: NotFoundError, BadRequestError, …
    const code =
      err.name === 'NotFoundError' || err.name === 'BadRequestError' ? 'INVALID_ARGUMENT' : 'PROVIDER_ERROR';
    return new TickerError(code, `yahoo: ${symbol} ${interval}: Yahoo said "${err.message}"`, {
      field: 'symbol',
      value: symbol,
      cause: e,
    });
  }
}
