import WebSocket from 'ws';
import { OrderBook } from '../../book/index.js';
import {
  ASK,
  BID,
  F_LAST,
  F_SNAPSHOT,
  MarketEventColumns,
  MarketEventKind,
  TickerError,
  instrumentId as asInstrumentId,
} from '../../model/index.js';
import { type DepthDiff, DepthSync } from '../replay/depth-sync.js';
import { ReplayReport } from '../replay/report.js';
import type { CollectedBookUpdate, CollectedFunding, CollectedTrade, CollectorSink, Level } from './sink.js';

export type BinanceMarket = 'usdm' | 'spot';

export interface BinanceCollectorOptions {
  readonly market: BinanceMarket;
  /** Venue symbol, e.g. `BTCUSDT`. */
  readonly symbol: string;
  /** Id written with each row (default `binance-<market>:<SYMBOL>`). */
  readonly instrumentId?: string;
  /** WebSocket origin (default wss://fstream.binance.com or wss://stream.binance.com:9443). */
  readonly wsUrl?: string;
  /** REST origin for depth snapshots (default https://fapi.binance.com or https://api.binance.com). */
  readonly restUrl?: string;
  /** Levels in a REST snapshot (default 1000). */
  readonly snapshotDepth?: number;
  /** Streams: depth diffs always; trades and (USDⓈ-M) mark price/funding by default. */
  readonly trades?: boolean;
  readonly markPrice?: boolean;
  readonly sink: CollectorSink;
  /** Rows per sink write (default 500); a partial batch is written after `flushMs` (default 1000). */
  readonly batchSize?: number;
  readonly flushMs?: number;
  /** Reconnect delays: initialMs·2^attempt up to maxMs (defaults 500, 30000). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** No message for this long → the connection is dropped and re-opened (default 10000). */
  readonly staleMs?: number;
  /** Receive clock in µs since the epoch (default: performance.timeOrigin + performance.now()). */
  readonly nowMicros?: () => number;
  readonly log?: (msg: string) => void;
}

/** Counters a collector keeps; `malformed` messages are counted and skipped, never applied. */
export interface CollectorStats {
  messages: number;
  malformed: number;
  gaps: number;
  snapshots: number;
  connects: number;
  reconnects: number;
  stalls: number;
  written: number;
  writeErrors: number;
}

const wallMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

class BadMessage extends Error {}
const int = (v: unknown, f: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new BadMessage(`${f} ${JSON.stringify(v)}`);
  return v;
};
const dec = (v: unknown, f: string): number => {
  const x = typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(x)) throw new BadMessage(`${f} ${JSON.stringify(v)}`);
  return x;
};

/**
 * A live Binance collector on the venue's own streams (combined `<sym>@depth@0ms` / `@depth@100ms`,
 * `@trade`, `@markPrice`), which carry the update ids (U, u, pu) that ccxt's watchOrderBook hides.
 * The local book follows Binance's documented sync procedure (replay/depth-sync.ts, shared with the
 * replay loader): diffs are buffered until a REST snapshot straddles them; a diff that does not
 * continue the previous one is a gap, and the book waits for a fresh snapshot. Dropped connections
 * are re-opened with exponential backoff; a feed silent for `staleMs` is dropped and re-opened.
 */
export class BinanceCollector {
  readonly stats: CollectorStats = {
    messages: 0,
    malformed: 0,
    gaps: 0,
    snapshots: 0,
    connects: 0,
    reconnects: 0,
    stalls: 0,
    written: 0,
    writeErrors: 0,
  };
  /** The collector's local book, as rebuilt from snapshots and diffs. */
  readonly book: OrderBook;
  readonly report = new ReplayReport();
  private readonly id: string;
  private readonly cols: MarketEventColumns;
  private readonly sync: DepthSync;
  private readonly now: () => number;
  private ws: WebSocket | undefined = undefined;
  private stopped = true;
  private attempt = 0;
  private synced = false;
  private snapshotInFlight = false;
  private lastMessageAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined = undefined;
  private flushTimer: ReturnType<typeof setInterval> | undefined = undefined;
  private bookRows: CollectedBookUpdate[] = [];
  private tradeRows: CollectedTrade[] = [];
  private fundingRows: CollectedFunding[] = [];
  private writing: Promise<void> = Promise.resolve();
  private pendingBids: Level[] = [];
  private pendingAsks: Level[] = [];

  constructor(private readonly opts: BinanceCollectorOptions) {
    if (!/^[A-Z0-9]+$/i.test(opts.symbol))
      throw new TickerError(
        'INVALID_ARGUMENT',
        `symbol: ${JSON.stringify(opts.symbol)} is not a Binance symbol; use e.g. BTCUSDT`,
        {
          field: 'symbol',
          value: opts.symbol,
        },
      );
    if (opts.market !== 'usdm' && opts.market !== 'spot')
      throw new TickerError(
        'INVALID_ARGUMENT',
        `market: ${JSON.stringify(opts.market)} must be usdm or spot`,
        {
          field: 'market',
          value: opts.market,
        },
      );
    this.id = opts.instrumentId ?? `binance-${opts.market}:${opts.symbol.toUpperCase()}`;
    this.book = new OrderBook(asInstrumentId(this.id));
    this.cols = new MarketEventColumns(asInstrumentId(this.id), 4096);
    this.sync = new DepthSync(this.cols, this.report, 'resync');
    this.now = opts.nowMicros ?? wallMicros;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const stale = this.opts.staleMs ?? 10_000;
    this.watchdog = setInterval(() => this.checkStale(stale), Math.max(10, stale / 4));
    this.flushTimer = setInterval(() => void this.flush(), this.opts.flushMs ?? 1000);
    this.connect();
  }

  /** Closes the connection, writes what is buffered and waits for the sink. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearInterval(this.flushTimer);
    clearTimeout(this.reconnectTimer);
    this.ws?.terminate();
    this.ws = undefined;
    await this.flush();
    await this.writing;
  }

  private streams(): string[] {
    const s = this.opts.symbol.toLowerCase();
    const out = [`${s}@depth@${this.opts.market === 'usdm' ? '0ms' : '100ms'}`];
    if (this.opts.trades !== false) out.push(`${s}@trade`);
    if (this.opts.market === 'usdm' && this.opts.markPrice !== false) out.push(`${s}@markPrice@1s`);
    return out;
  }

  private connect(): void {
    const base =
      this.opts.wsUrl ??
      (this.opts.market === 'usdm' ? 'wss://fstream.binance.com' : 'wss://stream.binance.com:9443');
    const ws = new WebSocket(`${base.replace(/\/$/, '')}/stream?streams=${this.streams().join('/')}`);
    this.ws = ws;
    this.lastMessageAt = performance.now();
    ws.on('open', () => {
      this.stats.connects++;
      this.lastMessageAt = performance.now();
      if (!this.synced) void this.requestSnapshot();
    });
    ws.on('message', (data) => {
      if (ws !== this.ws) return;
      this.attempt = 0;
      this.onMessage(String(data), this.now());
    });
    ws.on('error', (e) => this.opts.log?.(`binance ${this.opts.symbol}: websocket error ${e.message}`));
    ws.on('close', () => {
      if (ws !== this.ws || this.stopped) return;
      this.ws = undefined;
      const ms = Math.min(
        this.opts.backoff?.maxMs ?? 30_000,
        (this.opts.backoff?.initialMs ?? 500) * 2 ** this.attempt++,
      );
      this.stats.reconnects++;
      this.opts.log?.(`binance ${this.opts.symbol}: disconnected, reconnecting in ${ms} ms`);
      this.reconnectTimer = setTimeout(() => this.connect(), ms);
    });
  }

  private checkStale(staleMs: number): void {
    if (
      this.ws &&
      this.ws.readyState === WebSocket.OPEN &&
      performance.now() - this.lastMessageAt > staleMs
    ) {
      this.stats.stalls++;
      this.opts.log?.(`binance ${this.opts.symbol}: no message for ${staleMs} ms, reconnecting`);
      this.ws.terminate(); // 'close' schedules the reconnect
    }
  }

  /** Handles one WebSocket message received at `recv` (µs). Public for tests and replays. */
  onMessage(text: string, recv: number): void {
    this.lastMessageAt = performance.now();
    this.stats.messages++;
    let m: Record<string, unknown>;
    try {
      const raw = JSON.parse(text) as { data?: Record<string, unknown> } & Record<string, unknown>;
      if (raw === null || typeof raw !== 'object') throw new BadMessage('not an object');
      m = raw.data && typeof raw.data === 'object' ? raw.data : raw;
    } catch {
      return this.malformed('json', text);
    }
    try {
      switch (m.e) {
        case 'depthUpdate':
          return this.onDepth(m, recv);
        case 'trade': {
          if (typeof m.m !== 'boolean') throw new BadMessage(`m ${JSON.stringify(m.m)}`);
          this.tradeRows.push({
            instrumentId: this.id,
            ts: int(m.T, 'T') * 1000,
            tsRecv: recv,
            tradeId: int(m.t, 't'),
            price: dec(m.p, 'p'),
            size: dec(m.q, 'q'),
            aggressor: m.m ? -1 : 1, // m: the buyer is the maker, so the seller took liquidity
          });
          break;
        }
        case 'markPriceUpdate':
          this.fundingRows.push({
            instrumentId: this.id,
            ts: int(m.E, 'E') * 1000,
            tsRecv: recv,
            rate: dec(m.r, 'r'),
            fundingTs: int(m.T, 'T') * 1000,
            markPrice: dec(m.p, 'p'),
          });
          break;
        default:
          this.report.count(`ignored:${String(m.e)}`);
          return;
      }
    } catch (e) {
      if (e instanceof BadMessage) return this.malformed(String(m.e), `${e.message}`);
      throw e;
    }
    this.maybeFlush();
  }

  private malformed(kind: string, detail: string): void {
    this.stats.malformed++;
    if (!this.report.malformed.has(kind))
      this.opts.log?.(
        `binance ${this.opts.symbol}: malformed ${kind} message skipped (${detail.slice(0, 80)})`,
      );
    this.report.bad(kind, `ws:${this.stats.messages}`, detail.slice(0, 200));
  }

  private onDepth(m: Record<string, unknown>, recv: number): void {
    const d: DepthDiff = {
      U: int(m.U, 'U'),
      u: int(m.u, 'u'),
      pu: this.opts.market === 'usdm' ? int(m.pu, 'pu') : Number.NaN,
      ts: (m.T !== undefined ? int(m.T, 'T') : int(m.E, 'E')) * 1000,
      tsRecv: recv,
      sides: [],
      prices: [],
      sizes: [],
      where: `ws:${this.stats.messages}`,
    };
    for (const [key, side] of [
      ['b', BID],
      ['a', ASK],
    ] as const) {
      const list = m[key];
      if (!Array.isArray(list)) throw new BadMessage(`${key} is not a list of levels`);
      for (const l of list as unknown[]) {
        if (!Array.isArray(l) || l.length < 2) throw new BadMessage(`${key} level ${JSON.stringify(l)}`);
        d.sides.push(side);
        d.prices.push(dec(l[0], `${key}.price`));
        d.sizes.push(dec(l[1], `${key}.size`));
      }
    }
    const gaps = this.report.gaps;
    this.sync.diff(d);
    this.drain();
    if (this.report.gaps > gaps) {
      this.stats.gaps += this.report.gaps - gaps;
      this.synced = false;
      this.opts.log?.(
        `binance ${this.opts.symbol}: sequence gap at u ${d.u}, resyncing from a fresh snapshot`,
      );
      void this.requestSnapshot();
    }
    this.maybeFlush();
  }

  private async requestSnapshot(): Promise<void> {
    if (this.snapshotInFlight || this.stopped) return;
    this.snapshotInFlight = true;
    const usdm = this.opts.market === 'usdm';
    const base = this.opts.restUrl ?? (usdm ? 'https://fapi.binance.com' : 'https://api.binance.com');
    const url = `${base.replace(/\/$/, '')}${usdm ? '/fapi/v1/depth' : '/api/v3/depth'}?symbol=${this.opts.symbol.toUpperCase()}&limit=${this.opts.snapshotDepth ?? 1000}`;
    let retry = false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const s = (await res.json()) as { lastUpdateId?: unknown; T?: unknown; bids?: unknown; asks?: unknown };
      const recv = this.now();
      const side = (v: unknown, f: string) => {
        if (!Array.isArray(v)) throw new BadMessage(`${f} is not a list`);
        return (v as unknown[][]).map((l) => [dec(l[0], `${f}.price`), dec(l[1], `${f}.size`)] as const);
      };
      const bids = side(s.bids, 'bids');
      const asks = side(s.asks, 'asks');
      if (this.stopped) return;
      this.stats.snapshots++;
      const stale = this.report.skipped.get('stale_snapshot')?.count ?? 0;
      this.sync.snapshot({
        lastUpdateId: int(s.lastUpdateId, 'lastUpdateId'),
        ts: s.T === undefined ? Number.NaN : int(s.T, 'T') * 1000,
        tsRecv: recv,
        bidPrices: bids.map((l) => l[0]),
        bidSizes: bids.map((l) => l[1]),
        askPrices: asks.map((l) => l[0]),
        askSizes: asks.map((l) => l[1]),
        where: url,
      });
      this.drain();
      // The snapshot was older than the diffs we hold: Binance's procedure is to fetch another.
      retry = (this.report.skipped.get('stale_snapshot')?.count ?? 0) > stale;
    } catch (e) {
      this.opts.log?.(`binance ${this.opts.symbol}: snapshot failed (${(e as Error).message}), retrying`);
      retry = true;
    } finally {
      this.snapshotInFlight = false;
    }
    if (retry && !this.stopped) setTimeout(() => void this.requestSnapshot(), 200);
  }

  /** Applies the rows DepthSync emitted to the local book and turns each venue message into a record. */
  private drain(): void {
    const c = this.cols;
    for (let i = 0; i < c.length; i++) {
      if (c.kind[i] === MarketEventKind.BookClear) {
        this.book.clear();
        this.synced = true;
        continue;
      }
      if (c.kind[i] !== MarketEventKind.BookDelta) continue;
      const side = c.side[i] as 1 | -1;
      this.book.applyDelta(side, c.price[i]!, c.size[i]!, 0, c.ts[i]!);
      (side === BID ? this.pendingBids : this.pendingAsks).push([c.price[i]!, c.size[i]!]);
      if (c.flags[i]! & F_LAST) {
        this.bookRows.push({
          instrumentId: this.id,
          ts: c.ts[i]!,
          tsRecv: c.tsRecv[i]!,
          sequence: c.sequence[i]!,
          snapshot: (c.flags[i]! & F_SNAPSHOT) !== 0,
          bids: this.pendingBids,
          asks: this.pendingAsks,
          mid: this.book.mid,
          spread: this.book.spread,
        });
        this.pendingBids = [];
        this.pendingAsks = [];
      }
    }
    c.length = 0;
  }

  private maybeFlush(): void {
    const n = this.bookRows.length + this.tradeRows.length + this.fundingRows.length;
    if (n >= (this.opts.batchSize ?? 500)) void this.flush();
  }

  /** Hands buffered rows to the sink; writes run one at a time, in order. */
  flush(): Promise<void> {
    if (this.bookRows.length + this.tradeRows.length + this.fundingRows.length === 0) return this.writing;
    const batch = { book: this.bookRows, trades: this.tradeRows, funding: this.fundingRows };
    this.bookRows = [];
    this.tradeRows = [];
    this.fundingRows = [];
    const n = batch.book.length + batch.trades.length + batch.funding.length;
    this.writing = this.writing.then(async () => {
      try {
        await this.opts.sink.write(batch);
        this.stats.written += n;
      } catch (e) {
        this.stats.writeErrors++;
        this.opts.log?.(
          `binance ${this.opts.symbol}: sink write failed (${(e as Error).message}); ${n} rows lost`,
        );
      }
    });
    return this.writing;
  }
}
