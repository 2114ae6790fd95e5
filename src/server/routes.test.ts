import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from './auth.js';
import { testApp } from './testing.js';

type Ctx = Awaited<ReturnType<typeof testApp>>;
let t: Ctx;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.app.close();
});
const H = (role: Role) => ({ authorization: `Bearer ${t.tokens[role]}` });

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Case {
  method: Method;
  url: string;
  /** The OpenAPI path it exercises. */
  path: string;
  min: Role;
  payload?: object;
}

// Every authenticated route, with the least role allowed (payloads are valid, so an allowed call succeeds or 404/409s).
const ROUTES: Case[] = [
  { method: 'POST', url: '/api/v1/auth/logout', path: '/api/v1/auth/logout', min: 'viewer', payload: {} },
  { method: 'GET', url: '/api/v1/auth/me', path: '/api/v1/auth/me', min: 'viewer' },
  { method: 'GET', url: '/api/v1/users', path: '/api/v1/users', min: 'admin' },
  {
    method: 'POST',
    url: '/api/v1/users',
    path: '/api/v1/users',
    min: 'admin',
    payload: { username: 'u-ROLE', password: 'a-long-password', role: 'viewer' },
  },
  { method: 'DELETE', url: '/api/v1/users/nobody', path: '/api/v1/users/{username}', min: 'admin' },
  { method: 'GET', url: '/api/v1/strategies', path: '/api/v1/strategies', min: 'viewer' },
  { method: 'GET', url: '/api/v1/strategies/sma-goog', path: '/api/v1/strategies/{id}', min: 'viewer' },
  {
    method: 'POST',
    url: '/api/v1/strategies/sma-goog/start',
    path: '/api/v1/strategies/{id}/start',
    min: 'trader',
  },
  {
    method: 'POST',
    url: '/api/v1/strategies/sma-goog/stop',
    path: '/api/v1/strategies/{id}/stop',
    min: 'trader',
  },
  {
    method: 'PUT',
    url: '/api/v1/strategies/sma-goog/parameters',
    path: '/api/v1/strategies/{id}/parameters',
    min: 'trader',
    payload: { parameters: { fast: 4 } },
  },
  { method: 'GET', url: '/api/v1/portfolio', path: '/api/v1/portfolio', min: 'viewer' },
  { method: 'GET', url: '/api/v1/portfolio/history', path: '/api/v1/portfolio/history', min: 'viewer' },
  { method: 'GET', url: '/api/v1/positions', path: '/api/v1/positions', min: 'viewer' },
  { method: 'GET', url: '/api/v1/orders', path: '/api/v1/orders', min: 'viewer' },
  { method: 'GET', url: '/api/v1/orders/O-1', path: '/api/v1/orders/{id}', min: 'viewer' },
  {
    method: 'POST',
    url: '/api/v1/orders',
    path: '/api/v1/orders',
    min: 'trader',
    payload: { instrumentId: 'GOOG', side: 'buy', type: 'limit', price: 50, quantity: 1 },
  },
  { method: 'DELETE', url: '/api/v1/orders/none', path: '/api/v1/orders/{id}', min: 'trader' },
  { method: 'DELETE', url: '/api/v1/orders', path: '/api/v1/orders', min: 'trader' },
  { method: 'GET', url: '/api/v1/fills', path: '/api/v1/fills', min: 'viewer' },
  { method: 'GET', url: '/api/v1/risk/limits', path: '/api/v1/risk/limits', min: 'viewer' },
  { method: 'GET', url: '/api/v1/risk/state', path: '/api/v1/risk/state', min: 'viewer' },
  {
    method: 'POST',
    url: '/api/v1/risk/kill-switch',
    path: '/api/v1/risk/kill-switch',
    min: 'trader',
    payload: { reason: 'matrix test' },
  },
  {
    method: 'POST',
    url: '/api/v1/risk/kill-switch/reset',
    path: '/api/v1/risk/kill-switch/reset',
    min: 'admin',
  },
  { method: 'GET', url: '/api/v1/market/instruments', path: '/api/v1/market/instruments', min: 'viewer' },
  {
    method: 'GET',
    url: '/api/v1/market/candles?instrumentId=GOOG',
    path: '/api/v1/market/candles',
    min: 'viewer',
  },
  { method: 'GET', url: '/api/v1/market/book?instrumentId=GOOG', path: '/api/v1/market/book', min: 'viewer' },
  {
    method: 'GET',
    url: '/api/v1/market/trades?instrumentId=GOOG',
    path: '/api/v1/market/trades',
    min: 'viewer',
  },
  {
    method: 'POST',
    url: '/api/v1/backtests',
    path: '/api/v1/backtests',
    min: 'trader',
    payload: { strategy: 'sma-cross', params: { fast: 10, slow: 20 }, instrumentId: 'GOOG' },
  },
  { method: 'GET', url: '/api/v1/backtests', path: '/api/v1/backtests', min: 'viewer' },
  { method: 'GET', url: '/api/v1/backtests/bt-1', path: '/api/v1/backtests/{id}', min: 'viewer' },
  {
    method: 'GET',
    url: '/api/v1/backtests/bt-1/results',
    path: '/api/v1/backtests/{id}/results',
    min: 'viewer',
  },
  {
    method: 'GET',
    url: '/api/v1/backtests/bt-1/report',
    path: '/api/v1/backtests/{id}/report',
    min: 'viewer',
  },
  { method: 'GET', url: '/api/v1/system/status', path: '/api/v1/system/status', min: 'viewer' },
  { method: 'GET', url: '/api/v1/system/config', path: '/api/v1/system/config', min: 'admin' },
  { method: 'GET', url: '/api/v1/system/logs', path: '/api/v1/system/logs', min: 'admin' },
];
const PUBLIC = ['/health', '/metrics', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/stream'];
const RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

describe('API: role matrix', () => {
  it('covers every route the OpenAPI document lists', async () => {
    const spec = (await t.app.inject('/docs/json')).json();
    const listed = Object.entries(spec.paths as Record<string, object>).flatMap(([p, m]) =>
      Object.keys(m).map((v) => `${v.toUpperCase()} ${p}`),
    );
    const covered = new Set([...ROUTES.map((r) => `${r.method} ${r.path}`)]);
    const missing = listed.filter((k) => !covered.has(k) && !PUBLIC.some((p) => k.endsWith(` ${p}`)));
    expect(missing).toEqual([]);
    expect(listed.length).toBeGreaterThanOrEqual(39);
  });

  for (const role of ['viewer', 'trader', 'admin'] as Role[])
    it(`${role}: allowed where its rank suffices, 403 elsewhere`, async () => {
      for (const r of ROUTES) {
        // logout revokes the token under test: use a fresh one
        const headers = r.url.endsWith('/logout')
          ? {
              authorization: `Bearer ${(await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: (await login(role)).refreshToken } })).json().accessToken}`,
            }
          : H(role);
        const payload = r.payload ? JSON.parse(JSON.stringify(r.payload).replace('ROLE', role)) : undefined;
        const res = await t.app.inject({
          method: r.method,
          url: r.url,
          headers,
          ...(payload ? { payload } : {}),
        });
        const allowed = RANK[role] >= RANK[r.min];
        if (allowed)
          expect([401, 403, 400], `${role} ${r.method} ${r.url}: ${res.body}`).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
          expect(res.json().error).toBe('FORBIDDEN');
        }
      }
    });

  it('every authenticated route answers 401 without a token, and with a garbage token', async () => {
    for (const r of ROUTES) {
      const a = await t.app.inject({
        method: r.method,
        url: r.url,
        ...(r.payload ? { payload: r.payload } : {}),
      });
      expect(a.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(a.json().error).toBe('UNAUTHORIZED');
      const b = await t.app.inject({
        method: r.method,
        url: r.url,
        headers: { authorization: 'Bearer x.y.z' },
      });
      expect(b.statusCode).toBe(401);
    }
  });
});

async function login(role: Role) {
  const { PASSWORDS } = await import('./testing.js');
  return (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: role, password: PASSWORDS[role] },
    })
  ).json();
}

describe('API: bad input names the field', () => {
  const cases: [Method, string, object | undefined, string][] = [
    ['POST', '/api/v1/orders', { instrumentId: 'GOOG', side: 'hold', quantity: 1 }, 'body.side'],
    ['POST', '/api/v1/orders', { instrumentId: 'GOOG', side: 'buy', quantity: -1 }, 'body.quantity'],
    ['POST', '/api/v1/orders', { instrumentId: 'GOOG', side: 'buy' }, 'body.quantity'],
    [
      'POST',
      '/api/v1/orders',
      { instrumentId: 'GOOG', side: 'buy', quantity: 1, colour: 'red' },
      'body.colour',
    ],
    [
      'POST',
      '/api/v1/orders',
      { instrumentId: 'GOOG', side: 'buy', type: 'limit', quantity: 1 },
      'body.price',
    ],
    ['POST', '/api/v1/orders', { instrumentId: 'NOPE', side: 'buy', quantity: 1 }, 'body.instrumentId'],
    ['POST', '/api/v1/orders', { instrumentId: 'GOOG', side: 'buy', quantity: 0.4 }, 'body.quantity'],
    ['PUT', '/api/v1/strategies/sma-goog/parameters', { parameters: { fast: 100 } }, 'body.parameters.fast'],
    ['PUT', '/api/v1/strategies/sma-goog/parameters', {}, 'body.parameters'],
    ['GET', '/api/v1/orders?status=maybe', undefined, 'querystring.status'],
    ['GET', '/api/v1/fills?limit=0', undefined, 'querystring.limit'],
    ['GET', '/api/v1/market/candles', undefined, 'querystring.instrumentId'],
    ['GET', '/api/v1/market/candles?instrumentId=ZZZ', undefined, 'querystring.instrumentId'],
    ['POST', '/api/v1/backtests', { strategy: 'nope', instrumentId: 'GOOG' }, 'body.strategy'],
    ['POST', '/api/v1/backtests', { strategy: 'sma-cross', instrumentId: 'XXX' }, 'body.instrumentId'],
    [
      'POST',
      '/api/v1/backtests',
      { strategy: 'sma-cross', params: { fast: 30, slow: 20 }, instrumentId: 'GOOG' },
      'body.params.fast',
    ],
    ['POST', '/api/v1/backtests', { strategy: 'sma-cross', instrumentId: 'GOOG', cash: 0 }, 'body.cash'],
    [
      'POST',
      '/api/v1/users',
      { username: 'x y', password: 'a-long-password', role: 'viewer' },
      'body.username',
    ],
    ['POST', '/api/v1/users', { username: 'shorty', password: 'short', role: 'viewer' }, 'body.password'],
    ['POST', '/api/v1/users', { username: 'boss', password: 'a-long-password', role: 'god' }, 'body.role'],
    ['POST', '/api/v1/auth/login', { username: 'admin' }, 'body.password'],
    ['POST', '/api/v1/auth/refresh', { refreshToken: 'garbage-token-value' }, 'body.refreshToken'],
    ['GET', '/api/v1/system/logs?level=loud', undefined, 'querystring.level'],
  ];
  it.each(cases)('%s %s %j → 4xx naming %s', async (method, url, payload, field) => {
    const r = await t.app.inject({ method, url, headers: H('admin'), ...(payload ? { payload } : {}) });
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    const body = r.json();
    expect(body.field ?? body.message).toContain(field);
    expect(body.message.length).toBeGreaterThan(5);
  });

  it('unknown ids are 404 naming the id', async () => {
    for (const url of [
      '/api/v1/strategies/ghost',
      '/api/v1/orders/ghost',
      '/api/v1/backtests/ghost',
      '/api/v1/backtests/ghost/report',
    ]) {
      const r = await t.app.inject({ url, headers: H('viewer') });
      expect(r.statusCode).toBe(404);
      expect(r.json().field).toBe('params.id');
    }
  });
});

describe('API: trading flows', () => {
  it('submits, lists, cancels and cancels all; a risk denial is a 201 with status denied', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: H('trader'),
      payload: { instrumentId: 'GOOG', side: 'buy', type: 'limit', price: 60, quantity: 10 },
    });
    expect(a.statusCode).toBe(201);
    const order = a.json();
    expect(order).toMatchObject({
      instrumentId: 'GOOG',
      side: 'buy',
      type: 'limit',
      price: 60,
      quantity: 10,
      status: 'accepted',
      strategyId: 'manual',
      tag: 'api:trader',
    });
    const open = (await t.app.inject({ url: '/api/v1/orders?status=open', headers: H('viewer') })).json();
    expect(open.map((o: { id: string }) => o.id)).toContain(order.id);
    const c = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orders/${order.id}`,
      headers: H('trader'),
    });
    expect(c.json()).toMatchObject({ status: 'canceled', reason: 'canceled via API by trader' });
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orders/${order.id}`,
      headers: H('trader'),
    });
    expect(again.statusCode).toBe(409);
    for (let i = 0; i < 3; i++)
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: H('trader'),
        payload: { instrumentId: 'GOOG', side: 'buy', type: 'limit', price: 60 + i, quantity: 10 },
      });
    const all = await t.app.inject({ method: 'DELETE', url: '/api/v1/orders', headers: H('admin') });
    expect(all.json().canceled).toBeGreaterThanOrEqual(3);
    const closed = (await t.app.inject({ url: '/api/v1/orders?status=closed', headers: H('viewer') })).json();
    expect(closed.filter((o: { reason: string }) => o.reason === 'canceled via API by admin').length).toBe(
      all.json().canceled,
    );
    expect(closed.some((o: { reason: string }) => o.reason === 'canceled by strategy')).toBe(false);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: H('trader'),
      payload: { instrumentId: 'GOOG', side: 'buy', quantity: 1_000_000 },
    });
    expect(denied.statusCode).toBe(201);
    expect(denied.json().status).toBe('denied');
    expect(denied.json().reason).toBeTruthy();
  });

  it('market orders fill on the next bar and show in fills, positions and the portfolio', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/risk/kill-switch/reset', headers: H('admin') });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: H('trader'),
      payload: { instrumentId: 'GOOG', side: 'buy', quantity: 5 },
    });
    expect(r.json().status).toBe('accepted');
    t.clock.advanceTo(t.clock.now() + 60_000_000);
    t.feed.push('GOOG', 101);
    const fills = (await t.app.inject({ url: '/api/v1/fills', headers: H('viewer') })).json();
    expect(fills.some((f: { orderId: string }) => f.orderId === r.json().id)).toBe(true);
    const pf = (await t.app.inject({ url: '/api/v1/portfolio', headers: H('viewer') })).json();
    expect(pf).toMatchObject({ currency: 'USD', startingCash: 100_000, replay: true });
    expect(pf.equity).toBeGreaterThan(0);
    const hist = (
      await t.app.inject({ url: '/api/v1/portfolio/history?limit=5', headers: H('viewer') })
    ).json();
    expect(hist).toHaveLength(5);
    const candles = (
      await t.app.inject({ url: '/api/v1/market/candles?instrumentId=GOOG&limit=3', headers: H('viewer') })
    ).json();
    expect(candles.candles.at(-1).close).toBe(101);
  });

  it('kill switch halts trading until an admin resets it', async () => {
    const k = await t.app.inject({
      method: 'POST',
      url: '/api/v1/risk/kill-switch',
      headers: H('trader'),
      payload: { reason: 'test halt' },
    });
    expect(k.json()).toMatchObject({ killSwitch: true, account: 'halted' });
    const o = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: H('trader'),
      payload: { instrumentId: 'GOOG', side: 'buy', quantity: 1 },
    });
    expect(o.json().status).toBe('denied');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/risk/kill-switch/reset',
      headers: H('admin'),
    });
    expect(r.json()).toMatchObject({ killSwitch: false, account: 'active' });
  });

  it('stops, restarts and re-parameterizes a strategy', async () => {
    const stop = await t.app.inject({
      method: 'POST',
      url: '/api/v1/strategies/sma-goog/stop',
      headers: H('trader'),
    });
    expect(stop.json().enabled).toBe(false);
    const p = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/strategies/sma-goog/parameters',
      headers: H('trader'),
      payload: { parameters: { fast: 5, slow: 12 } },
    });
    expect(p.json().parameters).toMatchObject({ fast: 5, slow: 12 });
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/v1/strategies/sma-goog/start',
      headers: H('trader'),
    });
    expect(start.json()).toMatchObject({ enabled: true, name: 'sma-cross', instruments: ['GOOG'] });
  });

  it('runs a backtest in the background and serves its results', async () => {
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/backtests',
      headers: H('trader'),
      payload: {
        strategy: 'sma-cross',
        params: { fast: 10, slow: 20 },
        instrumentId: 'GOOG',
        cash: 10_000,
        commission: 0.002,
      },
    });
    expect(s.statusCode).toBe(202);
    const id = s.json().id;
    await t.backtests.settled(id);
    const st = (await t.app.inject({ url: `/api/v1/backtests/${id}`, headers: H('viewer') })).json();
    expect(st).toMatchObject({ status: 'done', progress: 1 });
    const res = (await t.app.inject({ url: `/api/v1/backtests/${id}/results`, headers: H('viewer') })).json();
    expect(res.bars).toBe(2148);
    expect(res.stats['# Trades']).toBeGreaterThan(0);
    expect(res.equity.length).toBeGreaterThan(100);
  });

  it('serves the HTML report of a finished backtest; 409 while it runs or when it failed', async () => {
    const body = {
      strategy: 'sma-cross',
      params: { fast: 10, slow: 20 },
      instrumentId: 'GOOG',
      cash: 10_000,
      commission: 0.002,
    };
    // Submitted and asked for before the queue runs it (the job starts on the next turn of the event loop).
    const job = t.backtests.submit(body);
    const early = await t.app.inject({ url: `/api/v1/backtests/${job.id}/report`, headers: H('viewer') });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'CONFLICT', field: 'params.id' });
    expect(early.json().message).toMatch(/is (queued|running)/);
    await t.backtests.settled(job.id);
    const r = await t.app.inject({ url: `/api/v1/backtests/${job.id}/report`, headers: H('viewer') });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = r.body;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Backtest report: sma-cross (fast=10, slow=20) on GOOG.csv');
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(6);
    // the same trades as /results
    const res = (
      await t.app.inject({ url: `/api/v1/backtests/${job.id}/results`, headers: H('viewer') })
    ).json();
    expect(html).toContain(`${res.stats['# Trades']} trades`);
    expect(html).not.toMatch(/<script|https?:/i);
    // a failed job has no report
    const bad = t.backtests.submit({ ...body, params: { ...body.params } });
    t.backtests.get(bad.id)!.request.params.fast = 'not a number';
    await t.backtests.settled(bad.id);
    expect(t.backtests.get(bad.id)!.status).toBe('failed');
    const f = await t.app.inject({ url: `/api/v1/backtests/${bad.id}/report`, headers: H('viewer') });
    expect(f.statusCode).toBe(409);
    expect(f.json().message).toMatch(/failed/);
  });

  it('system status says paper + replay; logs are admin-only and redacted', async () => {
    const st = (await t.app.inject({ url: '/api/v1/system/status', headers: H('viewer') })).json();
    expect(st).toMatchObject({ mode: 'paper', feed: { kind: 'replay' }, node: 'running' });
    expect(st.counters.bars).toBeGreaterThanOrEqual(30);
    const logs = await t.app.inject({ url: '/api/v1/system/logs?level=debug&limit=50', headers: H('admin') });
    expect(logs.statusCode).toBe(200);
    expect(logs.json().some((l: { msg: string }) => /REPLAY/.test(l.msg))).toBe(true);
  });
});

describe('WebSocket streams', () => {
  it('authenticates by first message, subscribes per stream, and delivers events', async () => {
    const ws = await t.app.injectWS('/api/v1/stream');
    const msgs: { type?: string; stream?: string; field?: string }[] = [];
    ws.on('message', (d) => msgs.push(JSON.parse(String(d))));
    const wait = async (pred: () => boolean) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(pred()).toBe(true);
    };
    ws.send(JSON.stringify({ op: 'subscribe', streams: ['orders'] }));
    await wait(() => msgs.some((m) => m.type === 'error' && m.field === 'op'));
    ws.send(JSON.stringify({ op: 'auth', token: t.tokens.viewer }));
    await wait(() => msgs.some((m) => m.type === 'authenticated'));
    ws.send(JSON.stringify({ op: 'subscribe', streams: ['market:GOOG', 'bogus'] }));
    await wait(() => msgs.some((m) => m.field === 'streams.1'));
    ws.send(JSON.stringify({ op: 'subscribe', streams: ['market:GOOG', 'portfolio', 'orders'] }));
    await wait(() => msgs.some((m) => m.type === 'subscribed'));
    t.clock.advanceTo(t.clock.now() + 60_000_000);
    t.feed.push('GOOG', 99);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: H('trader'),
      payload: { instrumentId: 'GOOG', side: 'buy', type: 'limit', price: 50, quantity: 1 },
    });
    await wait(() => ['market', 'portfolio', 'orders'].every((s) => msgs.some((m) => m.stream === s)));
    expect(msgs.some((m) => m.stream === 'fills' || m.stream === 'system')).toBe(false);
    ws.terminate();
  });

  it('streams strategies\' signals to subscribers of "signals" only', async () => {
    const open = async (streams: string[]) => {
      const ws = await t.app.injectWS('/api/v1/stream');
      const msgs: { type?: string; stream?: string; signal?: Record<string, unknown> }[] = [];
      ws.on('message', (d) => msgs.push(JSON.parse(String(d))));
      ws.send(JSON.stringify({ op: 'auth', token: t.tokens.viewer }));
      for (let i = 0; i < 200 && !msgs.some((m) => m.type === 'authenticated'); i++)
        await new Promise((r) => setTimeout(r, 5));
      ws.send(JSON.stringify({ op: 'subscribe', streams }));
      for (let i = 0; i < 200 && !msgs.some((m) => m.type === 'subscribed'); i++)
        await new Promise((r) => setTimeout(r, 5));
      return { ws, msgs };
    };
    const a = await open(['signals']);
    const b = await open(['orders', 'system']);
    // The strategy speaks through its kernel context, as a signal-emitting strategy does in onBar.
    t.node.strategy('sma-goog')!.ctx.signal({ direction: 'long', strength: 0.5, confidence: 0.8 });
    for (let i = 0; i < 200 && !a.msgs.some((m) => m.stream === 'signals'); i++)
      await new Promise((r) => setTimeout(r, 5));
    const sig = a.msgs.find((m) => m.stream === 'signals');
    expect(sig).toMatchObject({
      stream: 'signals',
      type: 'signal',
      signal: {
        strategyId: 'sma-goog',
        instrumentId: 'GOOG',
        direction: 'long',
        strength: 0.5,
        confidence: 0.8,
        ts: t.clock.now(),
      },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(b.msgs.some((m) => m.stream === 'signals')).toBe(false);
    a.ws.terminate();
    b.ws.terminate();
  });

  it('closes a socket that sends a bad token', async () => {
    const ws = await t.app.injectWS('/api/v1/stream');
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.send(JSON.stringify({ op: 'auth', token: 'nope' }));
    expect(await closed).toBe(4401);
  });
});
