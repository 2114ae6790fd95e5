import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderChain } from '../../data/providers/index.js';
import { AlphaVantageProvider } from '../alphavantage/index.js';
import { YahooProvider } from './yahoo-provider.js';
import { yahooChartServer } from '../../../test/support/yahoo-chart-server.js';

describe('YahooProvider against a local server with recorded Yahoo answers', () => {
  const srv = yahooChartServer();
  let url = '';
  beforeAll(async () => {
    url = await srv.start();
  });
  afterAll(() => srv.stop());

  it('reads daily bars: OHLC as Yahoo publishes them (split-adjusted), 00:00 UTC of the trading date, µs', async () => {
    const p = new YahooProvider({ baseUrl: url });
    const c = await p.fetchChart({ symbol: 'AAPL', timeframe: '1d', from: Date.UTC(2020, 0, 1) * 1000 });
    // The recorded answer: one bar stamped 1577975400 (2020-01-02 14:30 UTC, the NASDAQ open).
    expect(c.candles).toEqual([
      {
        ts: Date.UTC(2020, 0, 2) * 1000,
        open: 74.05999755859375,
        high: 75.1500015258789,
        low: 73.79750061035156,
        close: 75.0875015258789,
        volume: 135480400,
      },
    ]);
    // By hand: 75.0875 × 4 = 300.35, AAPL's close printed that day: Yahoo's OHLC are adjusted for
    // the 4:1 split of 2020-08-31 but not for dividends; adjclose is adjusted for both.
    expect(c.candles[0]!.close * 4).toBeCloseTo(300.35, 4);
    expect(c.adjClose).toEqual([73.98847198486328]);
    expect(c).toMatchObject({ currency: 'USD', exchangeTimezone: 'America/New_York', nullBars: 0 });
    const asked = new URL(srv.asked.at(-1)!, 'http://x');
    expect(asked.pathname).toBe('/v8/finance/chart/AAPL');
    expect(asked.searchParams.get('interval')).toBe('1d');
    expect(asked.searchParams.get('period1')).toBe(String(Date.UTC(2019, 11, 31) / 1000)); // a day early
    expect(srv.asked.some((a) => a.includes('getcrumb'))).toBe(false); // chart needs no crumb

    const total = await new YahooProvider({ baseUrl: url, adjust: 'splits+dividends' }).fetchOhlcv({
      symbol: 'AAPL',
      timeframe: '1d',
      from: Date.UTC(2020, 0, 1) * 1000,
    });
    const f = 73.98847198486328 / 75.0875015258789;
    expect(total[0]!.close).toBe(73.98847198486328);
    expect(total[0]!.open).toBeCloseTo(74.05999755859375 * f, 10);
    expect(total[0]!.volume).toBe(135480400);
  });

  it('counts and skips the null bar Yahoo sends for a day without trades (WSU.DE, XETRA)', async () => {
    const warnings: string[] = [];
    const p = new YahooProvider({ baseUrl: url, onWarning: (m) => warnings.push(m) });
    const c = await p.fetchChart({ symbol: 'WSU.DE', timeframe: '1d', from: Date.UTC(2023, 7, 4) * 1000 });
    expect(c.nullBars).toBe(1);
    expect(p.nullBarsSkipped).toBe(1);
    expect(warnings).toEqual(['yahoo: WSU.DE: skipped 1 bar(s) Yahoo sent as null']);
    // 1691132400 is 09:00 CEST on 2023-08-04; 2023-08-07 is the null bar.
    expect(c.candles.map((b) => new Date(b.ts / 1000).toISOString().slice(0, 10))).toEqual([
      '2023-08-04',
      '2023-08-08',
    ]);
    expect(c.candles[1]).toEqual({
      ts: Date.UTC(2023, 7, 8) * 1000,
      open: 34.04999923706055,
      high: 34.20000076293945,
      low: 32.900001525878906,
      close: 33.20000076293945,
      volume: 10846,
    });
    expect(c.adjClose).toEqual([34.45000076293945, 33.20000076293945]);
  });

  it('intraday: 1h asks interval=60m and keeps Yahoo’s UTC bar time', async () => {
    const p = new YahooProvider({ baseUrl: url });
    const bars = await p.fetchOhlcv({ symbol: 'AAPL', timeframe: '1h', from: Date.UTC(2020, 0, 2) * 1000 });
    expect(new URL(srv.asked.at(-1)!, 'http://x').searchParams.get('interval')).toBe('60m');
    expect(bars.map((b) => b.ts)).toEqual([1577975400 * 1e6]);
  });

  it('errors name the symbol and what Yahoo said', async () => {
    const p = new YahooProvider({ baseUrl: url });
    // Recorded: HTTP 400 with Yahoo's error envelope.
    await expect(p.fetchOhlcv({ symbol: 'BEKE', timeframe: '1d', from: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message:
        'yahoo: BEKE 1d: Yahoo said "Data doesn\'t exist for startDate = 1577836800, endDate = 1578009600"',
    });
    await expect(p.fetchOhlcv({ symbol: 'NOPE', timeframe: '1d' })).rejects.toThrow(
      /yahoo: HTTP 404 .*\/v8\/finance\/chart\/NOPE/,
    );
    await expect(p.fetchOhlcv({ symbol: 'AAPL', timeframe: '2h' })).rejects.toThrow(/timeframe: "2h"/);
    await expect(
      new YahooProvider({ baseUrl: 'http://127.0.0.1:1' }).fetchOhlcv({ symbol: 'AAPL', timeframe: '1d' }),
    ).rejects.toMatchObject({ code: 'PROVIDER_NETWORK', message: /127\.0\.0\.1:1 unreachable for AAPL/ });
    await expect(p.fetchTrades()).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(() => new YahooProvider({ baseUrl: 'localhost' })).toThrow(/baseUrl/);
  });

  it('a chain fails over from a dead provider to yahoo', async () => {
    const dead = new AlphaVantageProvider({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
    const failed: string[] = [];
    const chain = new ProviderChain([dead, new YahooProvider({ baseUrl: url })], {
      onFailover: (n) => failed.push(n),
    });
    const bars = await chain.fetchOhlcv({
      symbol: 'AAPL',
      timeframe: '1d',
      from: Date.UTC(2020, 0, 1) * 1000,
    });
    expect(failed).toEqual(['alphavantage']);
    expect(bars.map((b) => b.close)).toEqual([75.0875015258789]);
    expect(chain.name).toBe('alphavantage>yahoo');
  });
});
