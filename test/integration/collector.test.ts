import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { OrderBook } from '../../src/book/index.js';
import { BinanceCollector, type CollectedBatch, type CollectorSink } from '../../src/data/collector/index.js';
import { parseBinanceCapture } from '../../src/data/replay/index.js';
import { ASK, BID, MarketEventKind, instrumentId, type MarketEventColumns } from '../../src/model/index.js';

/**
 * A local stand-in for Binance USDⓈ-M: a WebSocket server replaying hftbacktest's recorded capture
 * (combined streams depth@0ms, trade, bookTicker) and a REST /fapi/v1/depth. The first snapshot is the
 * recorded one; later snapshots are the venue's book at the point the replay has reached (recorded
 * snapshot + every recorded diff since, delivered or not), as Binance's would be. Injected: a
 * malformed message, a clean disconnect, dropped diffs (a sequence gap), a stall, and a disconnect
 * that loses messages.
 */
const fixture = (f: string) => new URL(`../fixtures/${f}`, import.meta.url);
const LINES = gunzipSync(readFileSync(fixture('binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz')))
  .toString()
  .split('\n')
  .filter((l) => l.trim() !== '');
const MARK = JSON.stringify(
  JSON.parse(readFileSync(fixture('binance/futures_ws_mark_price_stream.json'), 'utf8')),
);
const json = (l: string) => l.slice(l.indexOf(' ') + 1);
const SNAP_LINE = LINES.findIndex((l) => json(l).startsWith('{"lastUpdateId"'));
const SNAPSHOT = JSON.parse(json(LINES[SNAP_LINE]!)) as {
  lastUpdateId: number;
  bids: string[][];
  asks: string[][];
};
const MESSAGES = LINES.filter((_, i) => i !== SNAP_LINE).map(json);

type Depth = { e: string; u: number; b: string[][]; a: string[][] };
const depthOf = (m: string): Depth | undefined => {
  const d = (JSON.parse(m) as { data: Depth }).data;
  return d.e === 'depthUpdate' ? d : undefined;
};

class Venue {
  cursor = 0;
  bids = new Map<number, string>();
  asks = new Map<number, string>();
  lastU: number;
  restCalls = 0;
  constructor() {
    for (const [p, q] of SNAPSHOT.bids) this.bids.set(Number(p), q!);
    for (const [p, q] of SNAPSHOT.asks) this.asks.set(Number(p), q!);
    this.lastU = SNAPSHOT.lastUpdateId;
  }
  /** Moves the venue past message `i` (its book changes whether or not a client got it). */
  advance(): string {
    const m = MESSAGES[this.cursor++]!;
    const d = depthOf(m);
    if (d && d.u >= SNAPSHOT.lastUpdateId) {
      const put = (m: Map<number, string>, p: string, q: string) => {
        if (Number(q) === 0) m.delete(Number(p));
        else m.set(Number(p), q);
      };
      for (const [p, q] of d.b) put(this.bids, p!, q!);
      for (const [p, q] of d.a) put(this.asks, p!, q!);
      this.lastU = d.u;
    }
    return m;
  }
  snapshot(): string {
    if (this.restCalls++ === 0) return json(LINES[SNAP_LINE]!);
    const side = (m: Map<number, string>, desc: boolean) =>
      [...m.entries()].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).map(([p, q]) => [String(p), q]);
    return JSON.stringify({
      lastUpdateId: this.lastU,
      E: 0,
      T: 0,
      bids: side(this.bids, true),
      asks: side(this.asks, false),
    });
  }
}

const AT = {
  malformed: 3000,
  disconnect: 5000,
  drop: 8000,
  stall: 11000,
  lossyDisconnect: 14000,
  mark: 16000,
};

function levels(book: OrderBook, side: 1 | -1): number[][] {
  const p = new Float64Array(100_000);
  const s = new Float64Array(100_000);
  const n = book.depth(side, p.length, p, s);
  return Array.from({ length: n }, (_, i) => [p[i]!, s[i]!]);
}

function bookFrom(cols: MarketEventColumns): OrderBook {
  const b = new OrderBook(cols.instrumentId);
  for (let i = 0; i < cols.length; i++) {
    if (cols.kind[i] === MarketEventKind.BookClear) b.clear();
    else if (cols.kind[i] === MarketEventKind.BookDelta)
      b.applyDelta(cols.side[i] as 1 | -1, cols.price[i]!, cols.size[i]!, 0, cols.ts[i]!);
  }
  return b;
}

describe('BinanceCollector against a local replay of a recorded Binance USDⓈ-M capture', () => {
  const venue = new Venue();
  const fired = new Set<string>();
  let skipOnConnect = 0;
  let dropped = 0;
  const http = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/fapi/v1/depth?symbol=BTCUSDT')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(venue.snapshot());
    }
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"code":-1121,"msg":"Invalid symbol."}');
  });
  const wss = new WebSocketServer({ server: http });
  const once = (k: string) => !fired.has(k) && fired.add(k) !== undefined;

  wss.on('connection', (ws: WebSocket, req) => {
    expect(req.url).toBe('/stream?streams=btcusdt@depth@0ms/btcusdt@trade/btcusdt@markPrice@1s');
    for (; skipOnConnect > 0 && venue.cursor < MESSAGES.length; skipOnConnect--) venue.advance();
    void (async () => {
      let sent = 0;
      while (ws.readyState === WebSocket.OPEN && venue.cursor < MESSAGES.length) {
        const i = venue.cursor;
        if (i === AT.malformed && once('malformed')) {
          ws.send('{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","U":1');
          ws.send('{"stream":"btcusdt@trade","data":{"e":"trade","T":1,"t":2,"p":"x","q":"1","m":true}}');
        }
        if (i === AT.mark && once('mark')) ws.send(MARK);
        if (i === AT.disconnect && once('disconnect')) return ws.close();
        if (i === AT.lossyDisconnect && once('lossy')) {
          skipOnConnect = 150;
          return ws.terminate();
        }
        if (i === AT.stall && once('stall')) {
          skipOnConnect = 200; // what the venue sent while we were not listening
          return; // say nothing more on this connection
        }
        if (i >= AT.drop && dropped < 3 && depthOf(MESSAGES[i]!)) {
          dropped++;
          venue.advance(); // the venue moved on; this client never sees these diffs
          continue;
        }
        ws.send(venue.advance());
        if (++sent % 200 === 0) await new Promise((r) => setTimeout(r, 1));
      }
    })();
  });

  let base = '';
  beforeAll(
    () =>
      new Promise<void>((ok) =>
        http.listen(
          0,
          '127.0.0.1',
          () => ((base = `127.0.0.1:${(http.address() as AddressInfo).port}`), ok()),
        ),
      ),
  );
  afterAll(() => new Promise<void>((ok) => (wss.close(), http.close(() => ok()))));

  it('rebuilds the same book as a clean replay despite disconnects, a gap, a malformed message and a stall', async () => {
    const batches: CollectedBatch[] = [];
    const sink: CollectorSink = { write: async (b) => void batches.push(b), close: async () => {} };
    const logs: string[] = [];
    const c = new BinanceCollector({
      market: 'usdm',
      symbol: 'BTCUSDT',
      wsUrl: `ws://${base}`,
      restUrl: `http://${base}`,
      sink,
      batchSize: 1000,
      flushMs: 50,
      backoff: { initialMs: 20, maxMs: 200 },
      staleMs: 300,
      log: (m) => logs.push(m),
    });
    const t0 = Date.now() * 1000;
    c.start();
    const deadline = Date.now() + 30_000;
    while (!(venue.cursor === MESSAGES.length && c.isSynced && c.stats.messages >= MESSAGES.length - 500)) {
      if (Date.now() > deadline)
        throw new Error(`timed out: cursor ${venue.cursor}, ${JSON.stringify(c.stats)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100));
    await c.stop();

    // The clean replay: every recorded message, with the recorded snapshot, through the replay loader.
    const clean = bookFrom(
      parseBinanceCapture(LINES.join('\n'), { instrumentId: instrumentId('clean') }).book,
    );
    expect(levels(c.book, BID)).toEqual(levels(clean, BID));
    expect(levels(c.book, ASK)).toEqual(levels(clean, ASK));
    expect(levels(clean, BID).length).toBeGreaterThan(100);

    expect(c.stats.malformed).toBe(2);
    expect(c.report.malformed.get('json')?.count).toBe(1);
    expect(c.stats.gaps).toBeGreaterThanOrEqual(3); // dropped diffs, stall loss, lossy disconnect
    expect(c.stats.stalls).toBe(1);
    expect(c.stats.reconnects).toBeGreaterThanOrEqual(3);
    expect(c.stats.snapshots).toBeGreaterThanOrEqual(4);
    expect(logs.some((l) => l.includes('sequence gap'))).toBe(true);

    const rows = batches.flatMap((b) => b.book);
    expect(rows.filter((r) => r.snapshot).length).toBe(c.stats.snapshots);
    expect(c.stats.written).toBe(
      batches.reduce((n, b) => n + b.book.length + b.trades.length + b.funding.length, 0),
    );
    for (const r of rows.slice(0, 50)) {
      expect(Number.isInteger(r.tsRecv)).toBe(true);
      expect(r.tsRecv).toBeGreaterThanOrEqual(t0 - 1e6);
    }
    const funding = batches.flatMap((b) => b.funding);
    expect(funding).toEqual([
      expect.objectContaining({ rate: 0.00038167, markPrice: 11794.15, fundingTs: 1562306400000_000 }),
    ]);
    expect(batches.flatMap((b) => b.trades).length).toBeGreaterThan(2000);
  });
});
