import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlphaVantageProvider } from './alphavantage-provider.js';

// The answer's shape as documented at https://www.alphavantage.co/documentation/#daily (not a capture:
// no recorded Alpha Vantage response was available offline).
const DAILY = {
  'Meta Data': { '1. Information': 'Daily Prices (open, high, low, close) and Volumes', '2. Symbol': 'IBM' },
  'Time Series (Daily)': {
    '2022-02-07': {
      '1. open': '141.5000',
      '2. high': '142.4900',
      '3. low': '139.8100',
      '4. close': '140.3700',
      '5. volume': '1263668',
    },
    '2022-02-04': {
      '1. open': '141.4800',
      '2. high': '142.3450',
      '3. low': '139.6700',
      '4. close': '141.1200',
      '5. volume': '1087398',
    },
  },
};

describe('AlphaVantageProvider against a local server', () => {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const u = new URL(req.url ?? '', 'http://x');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        u.searchParams.get('symbol') === 'IBM' ? DAILY : { 'Error Message': 'Invalid API call.' },
      ),
    );
  });
  let base = '';
  beforeAll(
    () =>
      new Promise<void>((ok) =>
        server.listen(
          0,
          '127.0.0.1',
          () => ((base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), ok()),
        ),
      ),
  );
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('reads daily bars oldest first, in µs, with the key from the request', async () => {
    const p = new AlphaVantageProvider({ apiKey: 'k', baseUrl: base });
    const bars = await p.fetchOhlcv({ symbol: 'IBM', timeframe: '1d' });
    expect(bars).toEqual([
      {
        ts: Date.UTC(2022, 1, 4) * 1000,
        open: 141.48,
        high: 142.345,
        low: 139.67,
        close: 141.12,
        volume: 1087398,
      },
      {
        ts: Date.UTC(2022, 1, 7) * 1000,
        open: 141.5,
        high: 142.49,
        low: 139.81,
        close: 140.37,
        volume: 1263668,
      },
    ]);
    expect(asked[0]).toContain('function=TIME_SERIES_DAILY');
    expect(asked[0]).toContain('apikey=k');
  });

  it('turns the API’s error answer into a TickerError, and says how to get a key', async () => {
    const p = new AlphaVantageProvider({ apiKey: 'k', baseUrl: base });
    await expect(p.fetchOhlcv({ symbol: 'NOPE', timeframe: '1d' })).rejects.toThrow(/Invalid API call/);
    await expect(p.fetchOhlcv({ symbol: 'IBM', timeframe: '2m' })).rejects.toThrow(/timeframe: "2m"/);
    const env = process.env.ALPHAVANTAGE_API_KEY;
    delete process.env.ALPHAVANTAGE_API_KEY;
    expect(() => new AlphaVantageProvider()).toThrow(/ALPHAVANTAGE_API_KEY.*export/);
    if (env !== undefined) process.env.ALPHAVANTAGE_API_KEY = env;
  });
});
