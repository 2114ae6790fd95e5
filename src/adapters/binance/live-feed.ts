import { WebSocket } from 'ws';
import { z } from 'zod';
import { type Logger, silentLogger } from '../../core/index.js';
import type { BarFeed, FeedBar } from '../../engine/trading-node-ports.js';
import { invalid } from '../../model/index.js';

/** Kline intervals the feed accepts (Binance's names). */
export const BINANCE_INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '1d'] as const;
export type BinanceInterval = (typeof BINANCE_INTERVALS)[number];

/** Binance's public endpoints (no API key needed for market data). */
export const BINANCE_WS_BASE = 'wss://stream.binance.com:9443';
export const BINANCE_REST_BASE = 'https://api.binance.com';

export interface BinanceLiveFeedOptions {
  /** Instrument id in the node → Binance symbol (e.g. BTCUSDT). */
  readonly symbols: readonly { readonly instrumentId: string; readonly symbol: string }[];
  readonly interval: BinanceInterval;
  /** Default wss://stream.binance.com:9443 (tests point it at a local server). */
  readonly wsBase?: string;
  /** Default https://api.binance.com. */
  readonly restBase?: string;
  /** Closed klines fetched per symbol at start and after each reconnect (indicator warm-up, gap fill); 0 = none. */
  readonly backfill?: number;
  /** Reconnect when no message arrived for this long (Binance pushes each open kline every 1–2 s). */
  readonly staleAfterMs?: number;
  /** Reconnect delay: initial × 2^attempt, capped at max. */
  readonly reconnect?: { readonly initialMs: number; readonly maxMs: number };
  readonly logger?: Logger;
  /** Injected for tests; default globalThis.fetch. */
  readonly fetch?: typeof fetch;
}

export interface LiveFeedCounters {
  messages: number;
  /** Closed klines emitted as bars (backfill included). */
  bars: number;
  backfilled: number;
  /** Messages that were not JSON or not a kline we asked for: counted, logged once per kind, skipped. */
  malformed: number;
  connects: number;
  reconnects: number;
  /** Times the watchdog found the stream silent and dropped the connection. */
  stale: number;
  backfillErrors: number;
}

// The kline event (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#klinecandlestick-streams).
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .transform(Number);
const klineEvent = z.object({
  e: z.literal('kline'),
  s: z.string().min(1),
  k: z.object({
    t: z.number().int(),
    T: z.number().int(),
    s: z.string().min(1),
    i: z.string(),
    o: decimal,
    h: decimal,
    l: decimal,
    c: decimal,
    v: decimal,
    x: z.boolean(),
  }),
});
// One row of GET /api/v3/klines: [openTime, open, high, low, close, volume, closeTime, …].
const restKline = z
  .tuple([z.number().int(), decimal, decimal, decimal, decimal, decimal, z.number().int()])
  .rest(z.unknown());

/**
 * Live public market data: Binance spot kline streams (`<symbol>@kline_<interval>` on one combined-stream
 * connection), emitting a bar when a kline closes (`k.x`). Before streaming, and after every reconnect,
 * the last `backfill` closed klines of each symbol come from REST `/api/v3/klines` (indicator warm-up and
 * the gap a disconnect left); bars are emitted once per open time, in order. A silent stream is dropped by
 * a watchdog; drops reconnect with exponential backoff. `sourceIndex` is the kline's open time in ms, so a
 * restarted node resumes after the last bar it processed.
 */
export class BinanceLiveFeed implements BarFeed {
  readonly kind = 'live' as const;
  readonly description: string;
  readonly finished = false;
  readonly counters: LiveFeedCounters = {
    messages: 0,
    bars: 0,
    backfilled: 0,
    malformed: 0,
    connects: 0,
    reconnects: 0,
    stale: 0,
    backfillErrors: 0,
  };
  private readonly opts: Required<Omit<BinanceLiveFeedOptions, 'logger' | 'fetch'>>;
  private readonly log: Logger;
  private readonly fetch: typeof fetch;
  private readonly bySymbol = new Map<string, string>();
  /** Open time (ms) of the last bar emitted per instrument. */
  private readonly last = new Map<string, number>();
  private readonly loggedKinds = new Set<string>();
  private sink: ((bar: FeedBar) => void) | undefined = undefined;
  private socket: WebSocket | undefined = undefined;
  private retry: ReturnType<typeof setTimeout> | undefined = undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined = undefined;
  private attempt = 0;
  private lastMessageAt = 0;
  private stopped = true;

  constructor(o: BinanceLiveFeedOptions) {
    if (o.symbols.length === 0) throw invalid('feed.symbols', [], 'at least one symbol');
    if (!(BINANCE_INTERVALS as readonly string[]).includes(o.interval))
      throw invalid('feed.interval', o.interval, `must be one of ${BINANCE_INTERVALS.join(', ')}`);
    for (const [i, s] of o.symbols.entries()) {
      if (!/^[A-Z0-9]{2,20}$/.test(s.symbol))
        throw invalid(`feed.symbols.${i}`, s.symbol, 'must be a Binance symbol such as BTCUSDT');
      this.bySymbol.set(s.symbol, s.instrumentId);
    }
    this.opts = {
      symbols: o.symbols,
      interval: o.interval,
      wsBase: (o.wsBase ?? BINANCE_WS_BASE).replace(/\/+$/, ''),
      restBase: (o.restBase ?? BINANCE_REST_BASE).replace(/\/+$/, ''),
      backfill: o.backfill ?? 100,
      staleAfterMs: o.staleAfterMs ?? 30_000,
      reconnect: o.reconnect ?? { initialMs: 500, maxMs: 30_000 },
    };
    this.log = o.logger ?? silentLogger;
    this.fetch = o.fetch ?? globalThis.fetch;
    const names = o.symbols.map((s) =>
      s.symbol === s.instrumentId ? s.symbol : `${s.instrumentId}=${s.symbol}`,
    );
    this.description = `LIVE Binance public kline streams ${names.join(', ')} @ ${o.interval} from ${this.opts.wsBase} (REST ${this.opts.restBase}, backfill ${this.opts.backfill} bars)`;
  }

  /** The combined-stream URL, e.g. wss://stream.binance.com:9443/stream?streams=btcusdt@kline_1m/… */
  get url(): string {
    const streams = this.opts.symbols.map((s) => `${s.symbol.toLowerCase()}@kline_${this.opts.interval}`);
    return `${this.opts.wsBase}/stream?streams=${streams.join('/')}`;
  }

  start(sink: (bar: FeedBar) => void, resume: ReadonlyMap<string, number>): void {
    this.sink = sink;
    this.stopped = false;
    // A replay cursor (a small index) is not an open time: only ms timestamps resume a live feed.
    for (const [id, next] of resume) if (next > 1e11) this.last.set(id, next - 1);
    void this.connect();
    this.watchdog = setInterval(
      () => this.checkStale(),
      Math.max(50, Math.min(5000, this.opts.staleAfterMs / 4)),
    );
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.watchdog);
    const s = this.socket;
    this.socket = undefined;
    s?.terminate();
    this.sink = undefined;
  }

  /** Backfill, then open the stream. Klines that close while the backfill runs are deduplicated by open time. */
  private async connect(): Promise<void> {
    if (this.stopped) return;
    const ws = new WebSocket(this.url, { handshakeTimeout: 10_000 });
    this.socket = ws;
    this.counters.connects++;
    this.lastMessageAt = Date.now();
    const buffered: string[] = [];
    let ready = false;
    ws.on('message', (data) => {
      if (this.socket !== ws) return;
      this.lastMessageAt = Date.now();
      this.attempt = 0;
      if (ready) this.onMessage(String(data));
      else buffered.push(String(data));
    });
    ws.on('error', (e) => this.log.warn('binance feed: socket error', { error: e.message }));
    ws.on('close', (code) => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      if (this.stopped) return;
      const delay = Math.min(this.opts.reconnect.maxMs, this.opts.reconnect.initialMs * 2 ** this.attempt++);
      this.counters.reconnects++;
      this.log.warn('binance feed: stream closed; reconnecting', { code, delayMs: delay });
      this.retry = setTimeout(() => void this.connect(), delay);
    });
    await this.backfill();
    if (this.socket !== ws) return;
    ready = true;
    for (const m of buffered.splice(0)) this.onMessage(m);
  }

  private async backfill(): Promise<void> {
    if (this.opts.backfill <= 0) return;
    const results = await Promise.all(
      this.opts.symbols.map(async ({ symbol }) => {
        const url = `${this.opts.restBase}/api/v3/klines?symbol=${symbol}&interval=${this.opts.interval}&limit=${this.opts.backfill}`;
        try {
          const res = await this.fetch(url, { signal: AbortSignal.timeout(10_000) });
          if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
          const rows = z.array(restKline).safeParse(await res.json());
          if (!rows.success) throw new Error(`unexpected klines answer: ${rows.error.issues[0]!.message}`);
          return { symbol, rows: rows.data };
        } catch (e) {
          this.counters.backfillErrors++;
          this.log.warn('binance feed: REST backfill failed; streaming without it', {
            symbol,
            error: (e as Error).message,
          });
          return { symbol, rows: [] };
        }
      }),
    );
    const now = Date.now();
    for (const { symbol, rows } of results)
      for (const [t, o, h, l, c, v, closeTime] of rows) {
        // The last row is usually the kline still forming: only closed klines become bars.
        if (closeTime >= now) continue;
        if (this.emit(symbol, t, o, h, l, c, v)) this.counters.backfilled++;
      }
  }

  private onMessage(raw: string): void {
    this.counters.messages++;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return this.malformed('not JSON', raw);
    }
    // Combined streams wrap the event: {"stream":"btcusdt@kline_1m","data":{…}}; /ws/<stream> does not.
    const ev = msg && typeof msg === 'object' && 'data' in msg ? (msg as { data: unknown }).data : msg;
    const p = klineEvent.safeParse(ev);
    if (!p.success) {
      const i = p.error.issues[0]!;
      return this.malformed(`${i.path.join('.') || 'message'}: ${i.message}`, raw);
    }
    const k = p.data.k;
    if (!this.bySymbol.has(k.s)) return this.malformed(`unexpected symbol ${k.s}`, raw);
    if (k.i !== this.opts.interval) return this.malformed(`unexpected interval ${k.i}`, raw);
    if (k.x) this.emit(k.s, k.t, k.o, k.h, k.l, k.c, k.v);
  }

  /** Emits a closed kline once (by open time, in order); false when it was already emitted. */
  private emit(symbol: string, t: number, o: number, h: number, l: number, c: number, v: number): boolean {
    const instrumentId = this.bySymbol.get(symbol)!;
    if (t <= (this.last.get(instrumentId) ?? -Infinity)) return false;
    this.last.set(instrumentId, t);
    this.counters.bars++;
    this.sink?.({
      instrumentId,
      sourceTs: t * 1000,
      sourceIndex: t,
      open: o,
      high: h,
      low: l,
      close: c,
      volume: v,
    });
    return true;
  }

  private malformed(kind: string, raw: string): void {
    this.counters.malformed++;
    if (this.loggedKinds.has(kind)) return;
    this.loggedKinds.add(kind);
    this.log.warn('binance feed: malformed message skipped (logged once per kind)', {
      kind,
      sample: raw.slice(0, 200),
    });
  }

  private checkStale(): void {
    const ws = this.socket;
    if (!ws || this.stopped || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastMessageAt <= this.opts.staleAfterMs) return;
    this.counters.stale++;
    this.log.warn('binance feed: no message within the stale limit; reconnecting', {
      staleAfterMs: this.opts.staleAfterMs,
    });
    ws.terminate();
  }
}
