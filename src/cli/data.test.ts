import { mkdtempSync, readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listBarSeries, loadBars, openStore } from '../storage/index.js';
import { main } from './main.js';

// A local server speaking Binance's spot REST protocol. exchangeInfo is Binance's recorded answer
// (via nautilus_trader; it lists ETHBTC only, hence the symbol); klines are real 1-minute bars
// (nautilus_trader's January 2022 BTC perpetual file) served in Binance's kline row format and paged
// by startTime/endTime/limit as Binance does.
const fixture = (f: string) => readFileSync(new URL(`../../test/fixtures/${f}`, import.meta.url), 'utf8');
const EXCHANGE_INFO = fixture('binance/spot_rest_exchange_info_response.json');
const KLINES = fixture('nautilus/btc-perp-20211231-20220201_1m.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [t, o, h, lo, c, v] = l.split(',');
    const ms = Date.parse(t!.replace(' ', 'T').slice(0, 19) + 'Z');
    return [ms, o, h, lo, c, v, ms + 59_999, '0', 0, '0', '0', '0'] as const;
  });

describe('tickerml data download', () => {
  let failAfter = Infinity;
  let klineCalls = 0;
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (u.pathname === '/api/v3/exchangeInfo') return res.end(EXCHANGE_INFO);
    if (u.pathname === '/api/v3/klines') {
      if (++klineCalls > failAfter) {
        res.statusCode = 503;
        return res.end('{"code":-1003,"msg":"Service unavailable"}');
      }
      const start = Number(u.searchParams.get('startTime') ?? 0);
      const end = Number(u.searchParams.get('endTime') ?? Infinity);
      const limit = Number(u.searchParams.get('limit') ?? 500);
      return res.end(JSON.stringify(KLINES.filter((k) => k[0] >= start && k[0] <= end).slice(0, limit)));
    }
    res.statusCode = 404;
    res.end('{"code":-1,"msg":"not recorded"}');
  });
  let url = '';
  beforeAll(
    () =>
      new Promise<void>((ok) =>
        server.listen(
          0,
          '127.0.0.1',
          () => ((url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), ok()),
        ),
      ),
  );
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('stores a day of 1m bars, resumes after an interruption, and a re-run adds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickerml-dl-'));
    const args = [
      'node',
      'tickerml',
      'data',
      'download',
      '--provider',
      'binance',
      '--symbol',
      'ETH/BTC',
      '--timeframe',
      '1m',
      '--from',
      '2022-01-01',
      '--to',
      '2022-01-02',
      '--base-url',
      url,
      '--data-dir',
      dir,
      '--page-size',
      '500',
      '--quiet',
    ];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      failAfter = 2; // the venue goes away after two pages
      expect(await main(args)).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/fetchOHLCV failed/);
      failAfter = Infinity;
      expect(await main(args)).toBe(0);
      expect(String(log.mock.calls.at(-1)?.[0])).toMatch(
        /440 new bars stored, 0 already there, 1 requests \(resumed at 2022-01-01T16:40:00.000Z\)/,
      );
      klineCalls = 0;
      expect(await main(args)).toBe(0);
      expect(String(log.mock.calls.at(-1)?.[0])).toMatch(/0 new bars stored/);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const store = await openStore({ dataDir: dir });
    try {
      const [s] = await listBarSeries(store, 'binance:ETH/BTC');
      expect(s).toMatchObject({ timeframe: '1m', rows: 1440, firstTs: Date.UTC(2022, 0, 1) * 1000 });
      const bars = await loadBars(store, { instrumentId: 'binance:ETH/BTC', timeframe: '1m' });
      const first = KLINES.find((k) => k[0] === Date.UTC(2022, 0, 1))!;
      expect([bars.open[0], bars.close[0], bars.volume[0]]).toEqual([
        Number(first[1]),
        Number(first[4]),
        Number(first[5]),
      ]);
    } finally {
      await store.close();
    }
  });

  it('names the bad flag', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main([
      'node',
      'tickerml',
      'data',
      'download',
      '--provider',
      'nope',
      '--symbol',
      'X',
      '--timeframe',
      '1m',
      '--from',
      '2022-01-01',
      '--to',
      '2022-01-02',
    ]);
    expect(code).toBe(2);
    expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/--provider: use one of binance/);
    err.mockRestore();
  });
});
