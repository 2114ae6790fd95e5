import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { NodeEvent } from '../engine/trading-node.js';
import type { AppContext } from './app.js';
import type { TokenClaims } from './auth.js';

export const STREAMS = ['market', 'portfolio', 'orders', 'fills', 'signals', 'system'] as const;
export type StreamName = (typeof STREAMS)[number];

/** A slow client's socket past this many queued bytes gets no more messages until it drains. */
const MAX_QUEUED = 1 << 20;

/**
 * WebSocket streams at /api/v1/stream. A browser cannot set headers on a WebSocket, and a token in the URL
 * ends up in access logs, so the client authenticates with its first message:
 *   → {"op":"auth","token":"<access token>"}                 ← {"type":"authenticated","role":"viewer"}
 *   → {"op":"subscribe","streams":["market","orders"]}      ← {"type":"subscribed","streams":[…]}
 *   → {"op":"unsubscribe","streams":["market"]}
 * `market` may be narrowed to instruments: "market:GOOG". Events arrive as {"stream":"orders","type":"order",…};
 * `signals` carries every strategy's ctx.signal(…) as {"stream":"signals","type":"signal","signal":{…}}.
 * Without a valid auth message within 10 s the socket is closed with code 4401.
 */
export function registerStreams(api: FastifyInstance, ctx: AppContext): void {
  const sockets = new Set<WebSocket>();
  ctx.metrics.wsQueuedBytes = () => {
    let n = 0;
    for (const s of sockets) n += s.bufferedAmount;
    return n;
  };

  api.get(
    '/stream',
    {
      websocket: true,
      config: { role: 'public' },
      schema: {
        tags: ['streams'],
        summary:
          'WebSocket streams: market, portfolio, orders, fills, signals, system (auth by first message)',
      },
    },
    (socket) => {
      let user: TokenClaims | undefined;
      const subs = new Set<string>();
      sockets.add(socket);
      ctx.metrics.wsClients = sockets.size;
      const send = (msg: unknown): void => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_QUEUED) {
          ctx.metrics.wsDropped++;
          return;
        }
        socket.send(JSON.stringify(msg));
      };
      const authTimer = setTimeout(() => {
        if (!user) socket.close(4401, 'authenticate first: {"op":"auth","token":"…"}');
      }, 10_000);
      const off = ctx.node.on((ev: NodeEvent) => {
        if (!user) return;
        if (
          ev.stream === 'market'
            ? subs.has('market') || subs.has(`market:${ev.instrumentId}`)
            : subs.has(ev.stream)
        )
          send(ev);
      });
      socket.on('message', (raw) => {
        let msg: { op?: unknown; token?: unknown; streams?: unknown };
        try {
          msg = JSON.parse(String(raw));
        } catch {
          return send({ type: 'error', field: 'message', message: 'messages must be JSON objects' });
        }
        if (msg.op === 'auth') {
          const c = typeof msg.token === 'string' ? ctx.auth.verify(msg.token, 'access') : undefined;
          if (!c) {
            send({
              type: 'error',
              field: 'token',
              message: 'the access token is invalid, expired or revoked',
            });
            return socket.close(4401, 'unauthorized');
          }
          user = c;
          clearTimeout(authTimer);
          return send({ type: 'authenticated', username: c.sub, role: c.role });
        }
        if (msg.op !== 'subscribe' && msg.op !== 'unsubscribe')
          return send({
            type: 'error',
            field: 'op',
            message: "op must be 'auth', 'subscribe' or 'unsubscribe'",
          });
        if (!user)
          return send({
            type: 'error',
            field: 'op',
            message: 'authenticate first: {"op":"auth","token":"…"}',
          });
        if (!Array.isArray(msg.streams) || msg.streams.length === 0)
          return send({
            type: 'error',
            field: 'streams',
            message: `streams must be a non-empty array of ${STREAMS.join(', ')} (or market:<instrumentId>)`,
          });
        for (const [i, s] of msg.streams.entries()) {
          const ok =
            typeof s === 'string' &&
            ((STREAMS as readonly string[]).includes(s) ||
              (s.startsWith('market:') && ctx.node.instrumentIds().includes(s.slice(7))));
          if (!ok)
            return send({
              type: 'error',
              field: `streams.${i}`,
              message: `unknown stream ${JSON.stringify(s)}; known: ${STREAMS.join(', ')}, market:<instrumentId>`,
            });
        }
        for (const s of msg.streams as string[])
          if (msg.op === 'subscribe') subs.add(s);
          else subs.delete(s);
        send({ type: msg.op === 'subscribe' ? 'subscribed' : 'unsubscribed', streams: [...subs] });
      });
      socket.on('close', () => {
        clearTimeout(authTimer);
        off();
        sockets.delete(socket);
        ctx.metrics.wsClients = sockets.size;
      });
    },
  );
}
