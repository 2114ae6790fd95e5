// The live Binance kline feed against a local server speaking Binance's protocol, fed with recorded
// messages (test/fixtures/ORIGIN.md): parsing, backfill, reconnect after a server-side disconnect, the
// stale-feed watchdog, malformed messages, and bars reaching a strategy through `tickerml run`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  type KlineServer,
  RECORDED_KLINES,
  RECORDED_KLINE_CLOSED,
  RECORDED_KLINE_OPEN,
  klineMessage,
  startKlineServer,
} from '../../../test/support/binance-kline-server.js';
import type { FeedBar } from '../../engine/trading-node-ports.js';
import { BinanceLiveFeed } from './live-feed.js';

const dir = mkdtempSync(join(tmpdir(), 'tickerml-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: KlineServer | undefined;
let feed: BinanceLiveFeed | undefined;
afterEach(async () => {
  feed?.stop();
  feed = undefined;
  await server?.close();
  server = undefined;
});

const waitFor = async (pred: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!pred() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  expect(pred()).toBe(true);
};
const close = (row: readonly (string | number)[]) => Number(row[4]);

describe('BinanceLiveFeed', () => {
  it('emits a bar for a closed kline only, from the recorded Binance messages; malformed ones are counted and skipped', async () => {
    server = await startKlineServer({
      klines: () => [],
      onConnection: (ws) => {
        ws.send(RECORDED_KLINE_OPEN);
        ws.send('this is not json');
        ws.send(JSON.stringify({ stream: 'btcusdt@kline_1m', data: { e: 'kline', s: 'BTCUSDT', k: {} } }));
        ws.send(RECORDED_KLINE_CLOSED.replaceAll('BTCUSDT', 'DOGEUSDT'));
        ws.send(RECORDED_KLINE_CLOSED);
        ws.send(RECORDED_KLINE_CLOSED); // the same kline again: one bar
      },
    });
    const bars: FeedBar[] = [];
    feed = new BinanceLiveFeed({
      symbols: [{ instrumentId: 'BTCUSDT', symbol: 'BTCUSDT' }],
      interval: '1m',
      wsBase: `ws://${server.base}`,
      restBase: `http://${server.base}`,
      backfill: 0,
    });
    expect(feed.kind).toBe('live');
    feed.start((b) => bars.push(b), new Map());
    await waitFor(() => feed!.counters.messages === 6);
    expect(server.wsUrls).toEqual(['/stream?streams=btcusdt@kline_1m']);
    expect(bars).toEqual([
      {
        instrumentId: 'BTCUSDT',
        sourceTs: 1638747660000 * 1000,
        sourceIndex: 1638747660000,
        open: 0.001,
        high: 0.0025,
        low: 0.001,
        close: 0.002,
        volume: 1000,
      },
    ]);
    expect(feed.counters.malformed).toBe(3);
  });

  it('backfills from REST, streams, reconnects after a server-side disconnect and fills the gap, each bar once and in order', async () => {
    const R = RECORDED_KLINES;
    server = await startKlineServer({
      // At the first connection klines 0–4 have closed; by the reconnect, 0–7 (7 closed while we were away).
      klines: (call) => (call === 0 ? R.slice(0, 5) : R.slice(0, 8)),
      onConnection: (ws, n) => {
        const msgs =
          n === 0
            ? [R[5]!, R[6]!].flatMap((r) => [
                klineMessage(r, { closed: false }),
                klineMessage(r, { closed: true }),
              ])
            : [R[6]!, R[8]!, R[9]!].map((r) => klineMessage(r, { closed: true }));
        for (const m of msgs) ws.send(m);
        if (n === 0) setTimeout(() => ws.terminate(), 50); // the server drops us
      },
    });
    const bars: FeedBar[] = [];
    feed = new BinanceLiveFeed({
      symbols: [{ instrumentId: 'BTCUSDT', symbol: 'BTCUSDT' }],
      interval: '1m',
      wsBase: `ws://${server.base}`,
      restBase: `http://${server.base}`,
      backfill: 5,
      reconnect: { initialMs: 50, maxMs: 1000 },
    });
    feed.start((b) => bars.push(b), new Map());
    await waitFor(() => bars.length === 10);
    await new Promise((r) => setTimeout(r, 100));
    expect(bars.map((b) => b.sourceIndex)).toEqual(R.map((r) => r[0]));
    expect(bars.map((b) => b.close)).toEqual(R.map(close));
    expect(bars[0]).toMatchObject({ open: 60685.22, high: 60729.84, low: 60670.9, volume: 21.63272 });
    expect(server.connections()).toBe(2);
    expect(server.restCalls).toEqual([
      '/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5',
      '/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5',
    ]);
    expect(feed.counters).toMatchObject({ reconnects: 1, backfilled: 6, bars: 10, malformed: 0 });
  });

  it('resumes after the last bar a restarted node processed', async () => {
    server = await startKlineServer({ klines: () => RECORDED_KLINES, onConnection: () => {} });
    const bars: FeedBar[] = [];
    feed = new BinanceLiveFeed({
      symbols: [{ instrumentId: 'BTC', symbol: 'BTCUSDT' }],
      interval: '1m',
      wsBase: `ws://${server.base}`,
      restBase: `http://${server.base}`,
    });
    feed.start((b) => bars.push(b), new Map([['BTC', (RECORDED_KLINES[6]![0] as number) + 1]]));
    await waitFor(() => bars.length === 3);
    expect(bars.map((b) => b.close)).toEqual(RECORDED_KLINES.slice(7).map(close));
    expect(bars[0]!.instrumentId).toBe('BTC');
  });

  it('drops a silent stream (watchdog) and reconnects with exponential backoff; a failing REST backfill is logged, not fatal', async () => {
    server = await startKlineServer({
      klines: () => {
        throw new Error('boom');
      },
      onConnection: () => {}, // never says anything
    });
    const warn = vi.fn();
    feed = new BinanceLiveFeed({
      symbols: [{ instrumentId: 'BTCUSDT', symbol: 'BTCUSDT' }],
      interval: '1m',
      wsBase: `ws://${server.base}`,
      restBase: `http://127.0.0.1:1`,
      staleAfterMs: 150,
      reconnect: { initialMs: 20, maxMs: 100 },
      logger: { debug() {}, info() {}, warn, error() {} },
    });
    const t0 = Date.now();
    feed.start(() => {}, new Map());
    await waitFor(() => server!.connections() >= 3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300); // two silent periods of 150 ms
    expect(feed.counters.stale).toBeGreaterThanOrEqual(2);
    expect(feed.counters.backfillErrors).toBeGreaterThanOrEqual(1);
    expect(warn.mock.calls.map((c) => c[0])).toEqual(
      expect.arrayContaining([
        'binance feed: REST backfill failed; streaming without it',
        'binance feed: no message within the stale limit; reconnecting',
        'binance feed: stream closed; reconnecting',
      ]),
    );
  });
});

describe('tickerml run --feed binance', () => {
  it('--feed binance --symbols: says LIVE in its banner, status and health; recorded bars reach the node', async () => {
    const R = RECORDED_KLINES;
    server = await startKlineServer({
      klines: () => R.slice(0, 4),
      onConnection: (ws) => {
        for (const r of R.slice(4)) ws.send(klineMessage(r, { closed: true }));
      },
    });
    // The config line a user writes, plus the local endpoints.
    const cfg = join(dir, 'live.yaml');
    writeFileSync(
      cfg,
      [
        'node:',
        '  instruments: [{ id: GOOG, file: examples/data/GOOG.csv }]',
        '  strategies: [{ id: sma-goog, name: sma-cross, instruments: [GOOG] }]',
        `feed: { kind: binance, symbols: [BTCUSDT], interval: 1m, wsUrl: "ws://${server.base}", restUrl: "http://${server.base}" }`,
        'storage: { kind: memory }',
      ].join('\n'),
    );
    const { startTradingNode } = await import('../../cli/run.js');
    const printed: string[] = [];
    const run = await startTradingNode(
      { config: cfg, port: '0', host: '127.0.0.1', dataDir: join(dir, 'data'), symbols: 'btcusdt' },
      { TICKERML_ADMIN_PASSWORD: 'live-test-password', LOG_LEVEL: 'silent' },
      (s) => printed.push(s),
    );
    try {
      expect(printed.join('')).toContain('LIVE market data');
      // No configured strategy trades BTCUSDT, so it gets the default SMA crossover.
      expect(run.node.strategies().map((s) => [s.id, s.enabled])).toEqual([['sma-btcusdt', true]]);
      await waitFor(() => run.node.counters.bars === 10);
      expect(run.node.candlesOf('BTCUSDT').map((c) => c.close)).toEqual(R.map(close));
      const base = `http://127.0.0.1:${run.port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'live-test-password' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const st = (await (
        await fetch(`${base}/api/v1/system/status`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).json()) as { feed: { kind: string; description: string }; instruments: string[] };
      expect(st.feed.kind).toBe('live');
      expect(st.feed.description).toMatch(/^LIVE Binance public kline streams BTCUSDT @ 1m/);
      expect(st.instruments).toEqual(['BTCUSDT']);
      expect(((await (await fetch(`${base}/health`)).json()) as { feed: string }).feed).toBe('live');
    } finally {
      await run.close();
    }
  });

  it('the strategy acts on live bars (sma-cross 2/3 trades the recorded crosses)', async () => {
    const R = RECORDED_KLINES;
    server = await startKlineServer({
      klines: () => [],
      onConnection: (ws) => {
        for (const r of R) ws.send(klineMessage(r, { closed: true }));
      },
    });
    const cfg = join(dir, 'live2.yaml');
    writeFileSync(
      cfg,
      [
        'node:',
        '  instruments: [{ id: BTC, kind: spot, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001, symbol: BTCUSDT }]',
        '  strategies: [{ id: fast-cross, name: sma-cross, params: { fast: 2, slow: 3, fraction: 0.2 }, instruments: [BTC] }]',
        `feed: { kind: live, exchange: binance, interval: 1m, backfill: 0, wsUrl: "ws://${server.base}", restUrl: "http://${server.base}" }`,
        'storage: { kind: memory }',
      ].join('\n'),
    );
    const { startTradingNode } = await import('../../cli/run.js');
    const run = await startTradingNode(
      { config: cfg, port: '0', host: '127.0.0.1', dataDir: join(dir, 'data2') },
      { TICKERML_ADMIN_PASSWORD: 'live-test-password', LOG_LEVEL: 'silent' },
      () => {},
    );
    try {
      await waitFor(() => run.node.counters.bars === 10);
      const orders = run.node.orders({ strategyId: 'fast-cross' });
      // Long on each cross up, out on each cross down: buy, sell, buy on these ten minutes.
      expect(orders.map((o) => [o.side, o.tag, o.status])).toEqual([
        ['buy', 'cross-up', 'filled'],
        ['sell', null, 'filled'],
        ['buy', 'cross-up', expect.stringMatching(/filled|accepted/)],
      ]);
      // Market orders fill at the next bar's open: a recorded price.
      const opens = R.map((r) => Number(r[1]));
      for (const f of run.node.fills()) expect(opens).toContain(f.price);
    } finally {
      await run.close();
    }
  });
});
