import { TickerError } from '../../model/index.js';
import { LruTtlCache } from './cache.js';
import type {
  BookSnapshotData,
  Candle,
  FundingPoint,
  MarketDataProvider,
  OhlcvRequest,
  PublicTrade,
  RangeRequest,
} from './port.js';
import type { TokenBucket } from './rate-limit.js';

type Method = 'fetchOhlcv' | 'fetchTrades' | 'fetchFundingRates' | 'fetchOrderBook';

export interface ProviderChainOptions {
  /** A provider that has not answered after this long is abandoned for the next one (default 5000). */
  readonly timeoutMs?: number;
  /** Called on each failover, e.g. to log it. */
  readonly onFailover?: (failed: string, error: Error) => void;
}

/**
 * Asks providers in order and returns the first answer. A provider that throws, or has not answered
 * within `timeoutMs`, is skipped for the next one, so a dead venue costs at most `timeoutMs`. When
 * all fail the error lists each provider's reason.
 */
export class ProviderChain implements MarketDataProvider {
  readonly name: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly providers: readonly MarketDataProvider[],
    private readonly opts: ProviderChainOptions = {},
  ) {
    if (providers.length === 0)
      throw new TickerError('INVALID_ARGUMENT', 'providers: give at least one provider to the chain', {
        field: 'providers',
        value: [],
      });
    this.name = providers.map((p) => p.name).join('>');
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  fetchOhlcv(req: OhlcvRequest): Promise<Candle[]> {
    return this.first('fetchOhlcv', (p) => p.fetchOhlcv(req));
  }
  fetchTrades(req: RangeRequest): Promise<PublicTrade[]> {
    return this.first('fetchTrades', (p) => p.fetchTrades(req));
  }
  fetchFundingRates(req: RangeRequest): Promise<FundingPoint[]> {
    return this.first('fetchFundingRates', (p) => p.fetchFundingRates(req));
  }
  fetchOrderBook(req: { symbol: string; depth?: number }): Promise<BookSnapshotData> {
    return this.first('fetchOrderBook', (p) => p.fetchOrderBook(req));
  }

  private async first<T>(method: Method, call: (p: MarketDataProvider) => Promise<T>): Promise<T> {
    const reasons: string[] = [];
    for (const p of this.providers) {
      try {
        return await withTimeout(call(p), this.timeoutMs, `${p.name}.${method}`);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        reasons.push(`${p.name}: ${err.message}`);
        this.opts.onFailover?.(p.name, err);
      }
    }
    throw new TickerError(
      'PROVIDERS_FAILED',
      `${method}: every provider failed (${reasons.join('; ')}); check the symbol and network, or add a provider`,
      { field: 'providers', value: this.providers.map((p) => p.name) },
    );
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TickerError('PROVIDER_TIMEOUT', `${what} did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export interface ManagedProviderOptions {
  /** The venue's token bucket: every request waits for a token. */
  readonly bucket?: TokenBucket;
  /** Answers kept for repeated identical requests. */
  readonly cache?: LruTtlCache<unknown>;
}

/** Wraps a provider with its venue's rate limit and an LRU+TTL cache of answers. */
export class ManagedProvider implements MarketDataProvider {
  readonly name: string;
  constructor(
    private readonly inner: MarketDataProvider,
    private readonly opts: ManagedProviderOptions,
  ) {
    this.name = inner.name;
  }

  fetchOhlcv(req: OhlcvRequest): Promise<Candle[]> {
    return this.call('ohlcv', req, () => this.inner.fetchOhlcv(req));
  }
  fetchTrades(req: RangeRequest): Promise<PublicTrade[]> {
    return this.call('trades', req, () => this.inner.fetchTrades(req));
  }
  fetchFundingRates(req: RangeRequest): Promise<FundingPoint[]> {
    return this.call('funding', req, () => this.inner.fetchFundingRates(req));
  }
  fetchOrderBook(req: { symbol: string; depth?: number }): Promise<BookSnapshotData> {
    return this.call('book', req, () => this.inner.fetchOrderBook(req));
  }

  private async call<T>(kind: string, req: object, run: () => Promise<T>): Promise<T> {
    const key = `${this.name}|${kind}|${JSON.stringify(req)}`;
    const hit = this.opts.cache?.get(key);
    if (hit !== undefined) return hit as T;
    await this.opts.bucket?.take();
    const v = await run();
    this.opts.cache?.set(key, v);
    return v;
  }
}
