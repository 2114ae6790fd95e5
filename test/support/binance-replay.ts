import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A clean local stand-in for Binance USDⓈ-M (no injected faults; test/integration/collector.test.ts has
 * the faulty one): a WebSocket `/stream` replaying the recorded capture
 * test/fixtures/binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz (depth@0ms, trade, bookTicker)
 * followed by the recorded mark-price/funding message, and a REST `/fapi/v1/depth` answering with the
 * recorded snapshot. Every connection gets the whole recording once.
 */
const fixture = (f: string) => new URL(`../fixtures/${f}`, import.meta.url);
const LINES = gunzipSync(readFileSync(fixture('binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz')))
  .toString()
  .split('\n')
  .filter((l) => l.trim() !== '');
const json = (l: string) => l.slice(l.indexOf(' ') + 1);
const SNAP_LINE = LINES.findIndex((l) => json(l).startsWith('{"lastUpdateId"'));
export const RECORDED_SNAPSHOT = json(LINES[SNAP_LINE]!);
export const RECORDED_MESSAGES: readonly string[] = [
  ...LINES.filter((_, i) => i !== SNAP_LINE).map(json),
  JSON.stringify(JSON.parse(readFileSync(fixture('binance/futures_ws_mark_price_stream.json'), 'utf8'))),
];

export interface BinanceReplay {
  /** `127.0.0.1:<port>`: use `ws://${base}` and `http://${base}`. */
  readonly base: string;
  /** Messages sent on the current connection. */
  sent(): number;
  close(): Promise<void>;
}

export async function startBinanceReplay(): Promise<BinanceReplay> {
  let sent = 0;
  const http: Server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/fapi/v1/depth?symbol=BTCUSDT')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(RECORDED_SNAPSHOT);
    }
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"code":-1121,"msg":"Invalid symbol."}');
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws: WebSocket) => {
    sent = 0;
    void (async () => {
      for (const m of RECORDED_MESSAGES) {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(m);
        if (++sent % 200 === 0) await new Promise((r) => setTimeout(r, 1));
      }
    })();
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  return {
    base: `127.0.0.1:${(http.address() as AddressInfo).port}`,
    sent: () => sent,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => ok());
      }),
  };
}
