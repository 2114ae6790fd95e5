import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from './auth.js';
import { PASSWORDS, testApp } from './testing.js';

type Ctx = Awaited<ReturnType<typeof testApp>>;
let t: Ctx;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.app.close();
});

const auth = (role: Role) => ({ authorization: `Bearer ${t.tokens[role]}` });

describe('API: public endpoints', () => {
  it('/health says paper mode and replay', async () => {
    const r = await t.app.inject('/health');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', mode: 'paper', feed: 'replay', node: 'running' });
  });

  it('/metrics is Prometheus text with node, HTTP and process series', async () => {
    await t.app.inject('/health');
    const r = await t.app.inject('/metrics');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/plain; version=0.0.4/);
    expect(r.body).toMatch(/^# TYPE tickerml_bars_total counter$/m);
    expect(r.body).toMatch(/^tickerml_bars_total 30$/m);
    expect(r.body).toMatch(
      /tickerml_http_request_duration_seconds_bucket\{method="GET",route="\/health",le="\+Inf"\} \d+/,
    );
    expect(r.body).toMatch(/^process_resident_memory_bytes \d+/m);
    for (const line of r.body.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? (-?[\d.e+-]+|NaN))$/);
  });

  it('serves OpenAPI docs at /docs with schemas for every API route', async () => {
    const ui = await t.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    const spec = (await t.app.inject('/docs/json')).json();
    const ops = Object.entries(spec.paths as Record<string, Record<string, { responses: object }>>).flatMap(
      ([p, m]) => Object.entries(m).map(([verb, op]) => ({ p, verb, op })),
    );
    const api = ops.filter((o) => o.p.startsWith('/api/v1') && o.p !== '/api/v1/stream');
    expect(api.length).toBeGreaterThanOrEqual(30);
    for (const o of api)
      expect(Object.keys(o.op.responses).length, `${o.verb} ${o.p}`).toBeGreaterThanOrEqual(2);
  });
});

describe('API: auth', () => {
  it('logs in, refreshes (rotating), and logs out (revoking both tokens)', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'viewer', password: PASSWORDS.viewer },
    });
    expect(login.statusCode).toBe(200);
    const pair = login.json();
    expect(pair).toMatchObject({ tokenType: 'Bearer', role: 'viewer', expiresIn: 900 });
    expect(pair.accessToken.split('.')).toHaveLength(3);
    const me = await t.app.inject({
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${pair.accessToken}` },
    });
    expect(me.json()).toMatchObject({ username: 'viewer', role: 'viewer' });
    const ref = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: pair.refreshToken },
    });
    expect(ref.statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: pair.refreshToken },
    });
    expect(again.statusCode).toBe(401);
    const next = ref.json();
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${next.accessToken}` },
      payload: { refreshToken: next.refreshToken },
    });
    expect(out.statusCode).toBe(200);
    expect(
      (
        await t.app.inject({
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${next.accessToken}` },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refreshToken: next.refreshToken },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('rejects wrong passwords, forged and tampered tokens', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'trader', password: 'nope-nope-nope' },
    });
    expect(bad.statusCode).toBe(401);
    const [h, p, s] = t.tokens.viewer.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
    expect(
      (await t.app.inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${forged}` } }))
        .statusCode,
    ).toBe(401);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    expect(
      (await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${none}` } }))
        .statusCode,
    ).toBe(401);
  });

  it('rate-limits login attempts per address and user', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'ratelimited', password: 'x' },
          })
        ).statusCode,
      );
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
    // another user name from the same address is not locked out
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'viewer', password: PASSWORDS.viewer },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('admins manage users; passwords are never returned', async () => {
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: auth('admin'),
      payload: { username: 'newbie', password: 'long-enough-pass', role: 'viewer' },
    });
    expect(c.statusCode).toBe(201);
    expect(JSON.stringify(c.json())).not.toMatch(/hash|salt|password/);
    const list = await t.app.inject({ url: '/api/v1/users', headers: auth('admin') });
    expect(list.json().map((u: { username: string }) => u.username)).toContain('newbie');
    expect(JSON.stringify(list.json())).not.toMatch(/hash|salt/);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: auth('admin'),
          payload: { username: 'newbie', password: 'long-enough-pass', role: 'viewer' },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/v1/users/newbie', headers: auth('admin') }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/v1/users/admin', headers: auth('admin') }))
        .statusCode,
    ).toBe(409);
  });

  it('never serves credentials from the configuration', async () => {
    const r = await t.app.inject({ url: '/api/v1/system/config', headers: auth('admin') });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toMatch(/SECRET/);
    expect(r.json().exchange).toEqual({ apiKey: '[redacted]', apiSecret: '[redacted]' });
  });
});
