// The dashboard's only door to the node: REST under /api/v1 and the WebSocket at /api/v1/stream (docs/API.md).

export type Role = 'viewer' | 'trader' | 'admin';

export interface Session {
  readonly username: string;
  readonly role: Role;
  accessToken: string;
  refreshToken: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const KEY = 'tickerml.session';
let session: Session | null = load();
const sessionListeners = new Set<(s: Session | null) => void>();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function save(s: Session | null): void {
  session = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const l of sessionListeners) l(s);
}

export const currentSession = (): Session | null => session;
export function onSession(l: (s: Session | null) => void): () => void {
  sessionListeners.add(l);
  return () => sessionListeners.delete(l);
}

export function can(role: Role | undefined, need: Role): boolean {
  const rank = { viewer: 0, trader: 1, admin: 2 } as const;
  return role !== undefined && rank[role] >= rank[need];
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  role: Role;
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const b = (body ?? {}) as { message?: string; field?: string };
    throw new ApiError(res.status, b.message ?? `${res.status} ${res.statusText}`, b.field);
  }
  return body as T;
}

export async function login(username: string, password: string): Promise<Session> {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const p = await parse<TokenPair>(res);
  const s: Session = { username, role: p.role, accessToken: p.accessToken, refreshToken: p.refreshToken };
  save(s);
  return s;
}

export async function logout(): Promise<void> {
  try {
    await api('/auth/logout', { method: 'POST' });
  } catch {
    // the session ends here whatever the server says
  }
  save(null);
}

let refreshing: Promise<boolean> | undefined;
/** Refresh tokens rotate (each works once), so concurrent 401s share one refresh. */
export function refresh(): Promise<boolean> {
  return (refreshing ??= (async () => {
    const s = session;
    if (!s) return false;
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: s.refreshToken }),
      });
      const p = await parse<TokenPair>(res);
      save({ ...s, accessToken: p.accessToken, refreshToken: p.refreshToken });
      return true;
    } catch {
      save(null);
      return false;
    }
  })().finally(() => (refreshing = undefined)));
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
  retry = true,
): Promise<T> {
  const s = session;
  if (!s) throw new ApiError(401, 'not logged in');
  const headers: Record<string, string> = { authorization: `Bearer ${s.accessToken}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status === 401 && retry && (await refresh())) return api<T>(path, init, false);
  return parse<T>(res);
}

/**
 * A document the API serves as HTML (e.g. a backtest report), fetched with the access token (a plain link
 * cannot send it) and returned as a blob: URL for a new tab. Revoke it when done.
 */
export async function apiDocumentUrl(path: string, retry = true): Promise<string> {
  const s = session;
  if (!s) throw new ApiError(401, 'not logged in');
  const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${s.accessToken}` } });
  if (res.status === 401 && retry && (await refresh())) return apiDocumentUrl(path, false);
  if (!res.ok) await parse(res);
  return URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' }));
}

// ---- WebSocket streams ----

export type StreamEvent =
  | { stream: 'market'; type: 'bar'; instrumentId: string; candle: Candle }
  | { stream: 'orders'; type: 'order'; order: Order }
  | { stream: 'fills'; type: 'fill'; fill: Fill }
  | { stream: 'portfolio'; type: 'snapshot'; snapshot: Snapshot }
  | { stream: 'signals'; type: 'signal'; signal: Signal }
  | { stream: 'system'; type: string; message: string };

type Listener = (ev: StreamEvent) => void;
const listeners = new Set<Listener>();
const connListeners = new Set<(up: boolean) => void>();
let socket: WebSocket | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let wanted = false;

export function onStream(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
export function onConnection(l: (up: boolean) => void): () => void {
  connListeners.add(l);
  return () => connListeners.delete(l);
}

/** One socket for the whole page, subscribed to every stream; pages filter. Reconnects with backoff. */
export function connectStream(): void {
  wanted = true;
  if (socket) return;
  let attempt = 0;
  const open = (): void => {
    const s = session;
    if (!s || !wanted) return;
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/api/v1/stream`);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ op: 'auth', token: s.accessToken }));
    ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as { type?: string; stream?: string };
      if (msg.type === 'authenticated') {
        attempt = 0;
        ws.send(
          JSON.stringify({ op: 'subscribe', streams: ['market', 'portfolio', 'orders', 'fills', 'signals', 'system'] }),
        );
        for (const l of connListeners) l(true);
      } else if (msg.stream) for (const l of listeners) l(msg as StreamEvent);
    };
    ws.onclose = (e) => {
      socket = null;
      for (const l of connListeners) l(false);
      if (!wanted) return;
      const again = (): void => {
        retryTimer = setTimeout(open, Math.min(10_000, 500 * 2 ** attempt++));
      };
      // 4401: the access token expired or was revoked; get a new one before trying again.
      if (e.code === 4401) void refresh().then((ok) => ok && again());
      else again();
    };
  };
  open();
}

export function disconnectStream(): void {
  wanted = false;
  clearTimeout(retryTimer);
  socket?.close();
  socket = null;
}

// ---- API shapes (docs/API.md; the full schemas are at /docs) ----

export interface Candle {
  ts: number;
  sourceTs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
/** A strategy's opinion (ctx.signal), as the `signals` stream carries it. */
export interface Signal {
  strategyId: string;
  instrumentId: string;
  direction: 'long' | 'short' | 'flat';
  strength: number;
  confidence: number;
  ts: number;
}
export interface Order {
  id: string;
  clientOrderId: string;
  strategyId: string;
  instrumentId: string;
  side: 'buy' | 'sell';
  type: string;
  timeInForce: string;
  quantity: number;
  price: number | null;
  triggerPrice: number | null;
  status: string;
  filledQuantity: number;
  averageFillPrice: number;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}
export interface Fill {
  id: string;
  orderId: string;
  strategyId: string;
  instrumentId: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  fee: number;
  feeCurrency: string;
  liquidity: string;
  ts: number;
}
export interface Position {
  instrumentId: string;
  quantity: number;
  averagePrice: number;
  lastPrice: number | null;
  realizedPnl: number;
  unrealizedPnl: number;
  fees: number;
}
export interface Snapshot {
  ts: number;
  step: number;
  cash: number;
  equity: number;
  grossExposure: number;
}
export interface Portfolio {
  currency: string;
  startingCash: number;
  cash: number;
  equity: number;
  pnl: number;
  returnPct: number;
  grossExposure: number;
  drawdownPct: number;
  highWaterMark: number;
  positions: Position[];
  replay: boolean;
}
export interface Strategy {
  id: string;
  name: string;
  enabled: boolean;
  failed: string | null;
  instruments: string[];
  parameters: Record<string, unknown>;
}
export interface RiskState {
  account: string;
  reason: string;
  killSwitch: boolean;
  pausedInstruments: string[];
  highWaterMark: number;
  events: { kind: string; message: string; ts: number; instrumentId?: string }[];
}
export interface Instrument {
  id: string;
  kind: string;
  quote: string;
  tickSize: number;
  lotSize: number;
  lastPrice: number | null;
}
export interface SystemStatus {
  mode: string;
  feed: { kind: string; description: string; finished: boolean };
  node: string;
  instruments: string[];
}
export interface BacktestJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  request: { strategy?: string; instrumentId?: string; params?: Record<string, unknown> };
  submittedAt: string;
  finishedAt: string | null;
  error: string | null;
}
export interface BacktestResults {
  id: string;
  stats: Record<string, unknown>;
  equity: { ts: number; equity: number }[];
  trades: {
    instrumentId: string;
    size: number;
    entryPrice: number;
    exitPrice: number;
    pnl: number;
    entryTs: number;
    exitTs: number;
  }[];
  bars: number;
  fills: number;
  seconds: number;
}
