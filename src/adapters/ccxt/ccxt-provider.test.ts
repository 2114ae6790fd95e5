import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderChain } from '../../data/providers/index.js';
import { CcxtProvider } from './ccxt-provider.js';

// Recorded venue answers (ccxt's static response tests; Binance's fundingRate sample via nautilus_trader).
const fx = (f: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/${f}`, import.meta.url), 'utf8'));
type Entry = { input: unknown[]; httpResponse: unknown; parsedResponse: unknown };
const entry = (file: string, method: string, i = 0): Entry => fx(`ccxt/${file}`).methods[method][i];

/** A local HTTP server answering each path prefix with a recorded body; logs the paths asked. */
function recordedServer(routes: [prefix: string, body: unknown][]) {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const r = routes.find(([p]) => (req.url ?? '').startsWith(p));
    res.writeHead(r ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(r ? r[1] : { code: -1121, msg: 'Invalid symbol.' }));
  });
  return {
    asked,
    start: () =>
      new Promise<string>((ok) =>
        server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** The few unified market fields ccxt reads when markets are set instead of downloaded. */
function market(symbol: string, id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [pair, settle] = symbol.split(':');
  const [base, quote] = pair!.split('/');
  const swap = settle !== undefined;
  return {
    id,
    symbol,
    base,
    quote,
    settle,
    baseId: base,
    quoteId: quote,
    type: swap ? 'swap' : 'spot',
    spot: !swap,
    swap,
    future: false,
    option: false,
    margin: false,
    contract: swap,
    linear: swap ? true : undefined,
    inverse: swap ? false : undefined,
    active: true,
    precision: { amount: 1e-8, price: 1e-8 },
    limits: { amount: {}, price: {}, cost: {} },
    info: {},
    ...extra,
  };
}

const toUs = (rows: number[][]) =>
  rows.map((r) => ({ ts: r[0]! * 1000, open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5] }));

describe('CcxtProvider against a local server with recorded answers', () => {
  const binOhlcv = entry('binance_public_methods.json', 'fetchOHLCV');
  const binSwapOhlcv = entry('binance_public_methods.json', 'fetchOHLCV', 2);
  const binBook = entry('binance_public_methods.json', 'fetchOrderBook');
  const binSwapBook = entry('binance_public_methods.json', 'fetchOrderBook', 1);
  const binTrades = entry('binance_public_methods.json', 'fetchTrades');
  const krOhlcv = entry('kraken_public_methods.json', 'fetchOHLCV');
  const krTrades = entry('kraken_public_methods.json', 'fetchTrades');
  const kuOhlcv = entry('kucoin_public_methods.json', 'fetchOHLCV');
  const kuBook = entry('kucoin_public_methods.json', 'fetchOrderBook');
  const cbTicker = entry('coinbase_selected_methods.json', 'fetchTicker');
  const srv = recordedServer([
    ['/api/v3/klines', binOhlcv.httpResponse],
    ['/api/v3/depth', binBook.httpResponse],
    ['/api/v3/aggTrades', binTrades.httpResponse],
    ['/fapi/v1/klines', binSwapOhlcv.httpResponse],
    ['/fapi/v1/depth', binSwapBook.httpResponse],
    ['/fapi/v1/fundingRate', fx('binance/http_futures_market_funding_rate.json')],
    ['/0/public/OHLC', krOhlcv.httpResponse],
    ['/0/public/Trades', krTrades.httpResponse],
    ['/api/v1/market/candles', kuOhlcv.httpResponse],
    ['/api/v1/market/orderbook', kuBook.httpResponse],
    ['/api/v3/brokerage/market/products/BTC-USDC/ticker', cbTicker.httpResponse],
  ]);
  let url = '';
  beforeAll(async () => {
    url = await srv.start();
  });
  afterAll(() => srv.stop());

  const binance = () =>
    new CcxtProvider({ venue: 'binance', baseUrl: url, markets: [market('BTC/USDT', 'BTCUSDT')] });
  const usdm = () =>
    new CcxtProvider({ venue: 'binanceusdm', baseUrl: url, markets: [market('BTC/USDT:USDT', 'BTCUSDT')] });

  it('binance spot: OHLCV, order book, trades equal ccxt’s recorded parse, in µs', async () => {
    const p = binance();
    const [sym, tf, since, limit] = binOhlcv.input as [string, string, number, number];
    expect(await p.fetchOhlcv({ symbol: sym, timeframe: tf, from: since * 1000, limit })).toEqual(
      toUs(binOhlcv.parsedResponse as number[][]),
    );
    const book = await p.fetchOrderBook({ symbol: 'BTC/USDT', depth: 2 });
    const want = binBook.parsedResponse as { bids: number[][]; asks: number[][]; nonce: number };
    expect(book.bids).toEqual(want.bids);
    expect(book.asks).toEqual(want.asks);
    expect(book.sequence).toBe(want.nonce);
    expect(Number.isNaN(book.ts)).toBe(true); // spot depth has no time
    const trades = await p.fetchTrades({ symbol: 'BTC/USDT', limit: 1 });
    const t0 = (binTrades.parsedResponse as Record<string, unknown>[])[0]!;
    expect(trades[0]).toEqual({
      ts: (t0.timestamp as number) * 1000,
      id: t0.id,
      price: t0.price,
      size: t0.amount,
      aggressor: t0.side === 'buy' ? 1 : -1,
    });
    expect(srv.asked.some((a) => a.startsWith('/api/v3/klines?') && a.includes('symbol=BTCUSDT'))).toBe(true);
  });

  it('binanceusdm: swap OHLCV, book with venue time, funding rate history', async () => {
    const p = usdm();
    expect(await p.fetchOhlcv({ symbol: 'BTC/USDT:USDT', timeframe: '1m', limit: 3 })).toEqual(
      toUs(binSwapOhlcv.parsedResponse as number[][]),
    );
    const book = await p.fetchOrderBook({ symbol: 'BTC/USDT:USDT', depth: 5 });
    expect(book.ts).toBe((binSwapBook.parsedResponse as { timestamp: number }).timestamp * 1000);
    expect(await p.fetchFundingRates({ symbol: 'BTC/USDT:USDT' })).toEqual([
      { ts: 1570608000000_000, rate: -0.0375 },
      { ts: 1570636800000_000, rate: 0.0001 },
    ]);
  });

  it('kraken, kucoin and coinbase answer through the same port', async () => {
    const kr = new CcxtProvider({
      venue: 'kraken',
      baseUrl: url,
      markets: [market('BTC/USDT', 'XBTUSDT', { altname: 'XBTUSDT', wsId: 'XBT/USDT' })],
    });
    const [, tf, since, limit] = krOhlcv.input as [string, string, number, number];
    expect(await kr.fetchOhlcv({ symbol: 'BTC/USDT', timeframe: tf, from: since * 1000, limit })).toEqual(
      toUs(krOhlcv.parsedResponse as number[][]),
    );
    const krT = await kr.fetchTrades({ symbol: 'BTC/USDT', limit: 1 });
    const k0 = (krTrades.parsedResponse as Record<string, unknown>[])[0]!;
    expect(krT.at(-1)).toMatchObject({
      price: k0.price,
      size: k0.amount,
      ts: (k0.timestamp as number) * 1000,
    });

    const ku = new CcxtProvider({ venue: 'kucoin', baseUrl: url, markets: [market('BTC/USDT', 'BTC-USDT')] });
    expect(await ku.fetchOhlcv({ symbol: 'BTC/USDT', timeframe: tf, from: since * 1000, limit })).toEqual(
      toUs(kuOhlcv.parsedResponse as number[][]),
    );
    const kb = await ku.fetchOrderBook({ symbol: 'BTC/USDT', depth: 20 });
    expect(kb.bids).toEqual((kuBook.parsedResponse as { bids: number[][] }).bids);

    const cb = new CcxtProvider({
      venue: 'coinbase',
      baseUrl: url,
      markets: [market('BTC/USDC', 'BTC-USDC')],
    });
    const cbT = await cb.fetchTrades({ symbol: 'BTC/USDC', limit: 1 });
    expect(cbT[0]).toMatchObject({ price: 66363.03, size: 0.03720194, aggressor: 1 });
  });

  it('fails over to the next provider when the first fails, within the 5 s budget', async () => {
    const broken = new CcxtProvider({
      venue: 'binance',
      baseUrl: 'http://127.0.0.1:1',
      markets: [market('BTC/USDT', 'BTCUSDT')],
    });
    const failed: string[] = [];
    const chain = new ProviderChain([broken, binance()], { onFailover: (n) => failed.push(n) });
    const t0 = performance.now();
    const bars = await chain.fetchOhlcv({
      symbol: 'BTC/USDT',
      timeframe: '1h',
      from: 1706628191000_000,
      limit: 3,
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(bars).toHaveLength(3);
    expect(failed).toEqual(['binance']);
  });

  it('a provider that hangs is abandoned after the timeout', async () => {
    const hang = {
      name: 'hang',
      fetchOhlcv: () => new Promise<never>(() => {}),
      fetchTrades: () => new Promise<never>(() => {}),
      fetchFundingRates: () => new Promise<never>(() => {}),
      fetchOrderBook: () => new Promise<never>(() => {}),
    };
    const chain = new ProviderChain([hang, binance()], { timeoutMs: 200 });
    expect(await chain.fetchOrderBook({ symbol: 'BTC/USDT', depth: 2 })).toMatchObject({
      sequence: 25445101,
    });
  });

  it('an unknown venue or bad base URL is refused with the field named', () => {
    expect(() => new CcxtProvider({ venue: 'nope' })).toThrow(/venue: "nope" is not a ccxt exchange/);
    expect(() => new CcxtProvider({ venue: 'binance', baseUrl: 'localhost' })).toThrow(/baseUrl/);
  });
});
