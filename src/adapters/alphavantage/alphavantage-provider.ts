import { TickerError } from '../../model/index.js';
import { parseIsoMicros } from '../../data/timestamps.js';
import type {
  BookSnapshotData,
  Candle,
  FundingPoint,
  MarketDataProvider,
  OhlcvRequest,
  PublicTrade,
} from '../../data/providers/index.js';
import { notSupported } from '../../data/providers/index.js';

export interface AlphaVantageOptions {
  /** Default: ALPHAVANTAGE_API_KEY. */
  readonly apiKey?: string;
  /** Default https://www.alphavantage.co; the path `/query` is appended. */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
}

const INTRADAY: Record<string, string> = {
  '1m': '1min',
  '5m': '5min',
  '15m': '15min',
  '30m': '30min',
  '1h': '60min',
};
const DAILY: Record<string, string> = {
  '1d': 'TIME_SERIES_DAILY',
  '1w': 'TIME_SERIES_WEEKLY',
  '1M': 'TIME_SERIES_MONTHLY',
};

/**
 * Equity bars from Alpha Vantage's REST API (https://www.alphavantage.co/documentation/):
 * TIME_SERIES_INTRADAY for 1m–1h, DAILY/WEEKLY/MONTHLY otherwise. Bar times are the series' own
 * (US/Eastern for intraday, per the answer's Meta Data) read as UTC dates; daily bars open at 00:00 UTC.
 * The API answers errors and throttling with HTTP 200 and an `Error Message`, `Note` or `Information`
 * field; those become TickerErrors.
 */
export class AlphaVantageProvider implements MarketDataProvider {
  readonly name = 'alphavantage';
  private readonly key: string;
  private readonly base: string;

  constructor(opts: AlphaVantageOptions = {}) {
    const key = opts.apiKey ?? process.env.ALPHAVANTAGE_API_KEY;
    if (!key)
      throw new TickerError(
        'MISSING_CONFIG',
        'ALPHAVANTAGE_API_KEY: not set; get a free key at https://www.alphavantage.co/support/#api-key and export ALPHAVANTAGE_API_KEY=…',
        { field: 'ALPHAVANTAGE_API_KEY', value: undefined },
      );
    this.key = key;
    this.base = (opts.baseUrl ?? 'https://www.alphavantage.co').replace(/\/$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }
  private readonly timeoutMs: number;

  async fetchOhlcv(req: OhlcvRequest): Promise<Candle[]> {
    const interval = INTRADAY[req.timeframe];
    const fn = interval ? 'TIME_SERIES_INTRADAY' : DAILY[req.timeframe];
    if (!fn)
      throw new TickerError(
        'INVALID_ARGUMENT',
        `timeframe: ${JSON.stringify(req.timeframe)} is not offered by Alpha Vantage; use 1m, 5m, 15m, 30m, 1h, 1d, 1w or 1M`,
        { field: 'timeframe', value: req.timeframe },
      );
    const q = new URLSearchParams({ function: fn, symbol: req.symbol, outputsize: 'full', apikey: this.key });
    if (interval) q.set('interval', interval);
    const body = await this.get(q);
    const seriesKey = Object.keys(body).find((k) => k.startsWith('Time Series') || k.endsWith('Time Series'));
    if (!seriesKey)
      throw new TickerError(
        'PROVIDER_BAD_DATA',
        `alphavantage: the answer for ${req.symbol} has no time series; check the symbol`,
        {
          field: 'symbol',
          value: req.symbol,
        },
      );
    const series = body[seriesKey] as Record<string, Record<string, string>>;
    const out: Candle[] = [];
    for (const [when, v] of Object.entries(series)) {
      const ts = parseIsoMicros(when);
      const f = (k: string) => {
        const name = Object.keys(v).find((n) => n.endsWith(`. ${k}`));
        const x = name === undefined ? Number.NaN : Number(v[name]);
        if (!Number.isFinite(x))
          throw new TickerError(
            'PROVIDER_BAD_DATA',
            `alphavantage: ${when}.${k} ${JSON.stringify(name && v[name])} is not a number`,
            {
              field: `${when}.${k}`,
              value: name && v[name],
            },
          );
        return x;
      };
      if (Number.isNaN(ts))
        throw new TickerError('PROVIDER_BAD_DATA', `alphavantage: ${JSON.stringify(when)} is not a date`, {
          field: 'date',
          value: when,
        });
      if (req.from !== undefined && ts < req.from) continue;
      out.push({
        ts,
        open: f('open'),
        high: f('high'),
        low: f('low'),
        close: f('close'),
        volume: f('volume'),
      });
    }
    out.sort((a, b) => a.ts - b.ts); // the API answers newest first
    return req.limit !== undefined ? out.slice(0, req.limit) : out;
  }

  fetchTrades(): Promise<PublicTrade[]> {
    return Promise.reject(notSupported('alphavantage', 'public trades'));
  }
  fetchFundingRates(): Promise<FundingPoint[]> {
    return Promise.reject(notSupported('alphavantage', 'funding rates'));
  }
  fetchOrderBook(): Promise<BookSnapshotData> {
    return Promise.reject(notSupported('alphavantage', 'order books'));
  }

  private async get(q: URLSearchParams): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/query?${q}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new TickerError(
        'PROVIDER_NETWORK',
        `alphavantage: ${this.base} unreachable (${(e as Error).message}); check the network or --base-url`,
        {
          cause: e,
        },
      );
    }
    if (!res.ok)
      throw new TickerError('PROVIDER_ERROR', `alphavantage: HTTP ${res.status} from ${this.base}/query`, {
        value: res.status,
      });
    const body = (await res.json()) as Record<string, unknown>;
    const msg = body['Error Message'] ?? body.Note ?? body.Information;
    if (typeof msg === 'string')
      throw new TickerError(
        body['Error Message'] ? 'INVALID_ARGUMENT' : 'PROVIDER_RATE_LIMITED',
        `alphavantage: ${msg}`,
        { field: 'symbol', value: q.get('symbol') },
      );
    return body;
  }
}
