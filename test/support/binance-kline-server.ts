import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A local stand-in for Binance spot public market data speaking its protocol: REST `GET /api/v3/klines`
 * and the combined-stream WebSocket `/stream?streams=<symbol>@kline_<interval>/…`. What it answers is up to
 * the test (recorded fixtures: test/fixtures/ORIGIN.md).
 */
const fixture = (f: string) => new URL(`../fixtures/binance/${f}`, import.meta.url);

/** Ten real BTCUSDT 1m klines, 2021-10-22 23:03–23:12 UTC, as GET /api/v3/klines answered (nautilus_trader's capture). */
export const RECORDED_KLINES: readonly (readonly (string | number)[])[] = JSON.parse(
  readFileSync(fixture('http_spot_market_klines.json'), 'utf8'),
);
/** Binance kline WebSocket events (closed and still open), verbatim (nautilus_trader's fixtures). */
export const RECORDED_KLINE_CLOSED = JSON.stringify(
  JSON.parse(readFileSync(fixture('ws_kline_stream_closed.json'), 'utf8')),
);
export const RECORDED_KLINE_OPEN = JSON.stringify(
  JSON.parse(readFileSync(fixture('ws_kline_stream_open.json'), 'utf8')),
);

/**
 * The kline event Binance pushes for a REST kline row, wrapped as on a combined stream. Built, not recorded:
 * no recorded stream of these real klines exists, so the fields come from the recorded REST row (open time,
 * OHLCV, close time, trade count, quote and taker volumes); `E` (event time) is the close time + 1 ms for a
 * closed kline and mid-kline for an open one; `f`/`L` (first/last trade id) are not in REST rows and are -1.
 */
export function klineMessage(
  row: readonly (string | number)[],
  o: { symbol?: string; interval?: string; closed: boolean },
): string {
  const symbol = o.symbol ?? 'BTCUSDT';
  const interval = o.interval ?? '1m';
  const t = row[0] as number;
  const T = row[6] as number;
  return JSON.stringify({
    stream: `${symbol.toLowerCase()}@kline_${interval}`,
    data: {
      e: 'kline',
      E: o.closed ? T + 1 : t + Math.floor((T - t) / 2),
      s: symbol,
      k: {
        t,
        T,
        s: symbol,
        i: interval,
        f: -1,
        L: -1,
        o: row[1],
        c: row[4],
        h: row[2],
        l: row[3],
        v: row[5],
        n: row[8],
        x: o.closed,
        q: row[7],
        V: row[9],
        Q: row[10],
        B: '0',
      },
    },
  });
}

export interface KlineServer {
  /** `127.0.0.1:<port>`: ws://${base} and http://${base}. */
  readonly base: string;
  /** WebSocket connections accepted so far. */
  connections(): number;
  /** Request URLs of REST calls, in order. */
  readonly restCalls: string[];
  /** WebSocket request URLs, in order. */
  readonly wsUrls: string[];
  close(): Promise<void>;
}

export async function startKlineServer(o: {
  /** Rows GET /api/v3/klines answers (after `limit`), given the call's number (0-based). */
  klines: (call: number) => readonly (readonly (string | number)[])[];
  /** Drives one WebSocket connection (n: 0-based). */
  onConnection: (ws: WebSocket, n: number) => void;
}): Promise<KlineServer> {
  const restCalls: string[] = [];
  const wsUrls: string[] = [];
  let conns = 0;
  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v3/klines' && url.searchParams.get('symbol')) {
      const rows = o.klines(restCalls.length);
      restCalls.push(req.url ?? '');
      const limit = Number(url.searchParams.get('limit') ?? 500);
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(rows.slice(-limit)));
    }
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"code":-1121,"msg":"Invalid symbol."}');
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    wsUrls.push(req.url ?? '');
    o.onConnection(ws, conns++);
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  return {
    base: `127.0.0.1:${(http.address() as AddressInfo).port}`,
    connections: () => conns,
    restCalls,
    wsUrls,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => ok());
      }),
  };
}
