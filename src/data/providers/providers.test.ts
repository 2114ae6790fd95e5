import { describe, expect, it } from 'vitest';
import { LruTtlCache } from './cache.js';
import { ManagedProvider } from './chain.js';
import type { MarketDataProvider } from './port.js';
import { type Sleeper, TokenBucket } from './rate-limit.js';

/** A fake clock: sleeping advances it, so bucket waits are exact and instant. */
function fakeTime(): Sleeper & { t: number; slept: number[] } {
  const s = {
    t: 0,
    slept: [] as number[],
    now: () => s.t,
    sleep: async (ms: number) => {
      s.slept.push(ms);
      s.t += ms;
    },
  };
  return s;
}

describe('TokenBucket', () => {
  it('lets a burst of capacity through, then spaces calls at the refill rate', async () => {
    const time = fakeTime();
    const b = new TokenBucket(2, 10, time);
    for (let i = 0; i < 5; i++) await b.take();
    expect(time.t).toBeCloseTo(300, 6); // 3 calls beyond the burst, 100 ms apart
  });
});

describe('LruTtlCache', () => {
  it('expires entries after the TTL and evicts the least recently used', () => {
    let now = 0;
    const c = new LruTtlCache<number>(2, 1000, () => now);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3); // evicts b
    expect(c.get('b')).toBeUndefined();
    now = 1001;
    expect(c.get('a')).toBeUndefined();
  });
});

describe('ManagedProvider', () => {
  it('answers a repeated request from the cache and rate-limits the rest', async () => {
    let calls = 0;
    const inner: MarketDataProvider = {
      name: 'x',
      fetchOhlcv: async () => {
        calls++;
        return [{ ts: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }];
      },
      fetchTrades: async () => [],
      fetchFundingRates: async () => [],
      fetchOrderBook: async () => ({ ts: 0, sequence: 1, bids: [], asks: [] }),
    };
    const time = fakeTime();
    const p = new ManagedProvider(inner, {
      bucket: new TokenBucket(1, 1, time),
      cache: new LruTtlCache(10, 60_000),
    });
    const req = { symbol: 'BTC/USDT', timeframe: '1m', from: 0 };
    await p.fetchOhlcv(req);
    await p.fetchOhlcv(req);
    expect(calls).toBe(1);
    await p.fetchOhlcv({ ...req, from: 60_000_000 });
    expect(calls).toBe(2);
    expect(time.t).toBeCloseTo(1000, 6);
  });
});
