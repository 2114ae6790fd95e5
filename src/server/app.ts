import { existsSync } from 'node:fs';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TradingNode } from '../engine/trading-node.js';
import { TickerError } from '../model/index.js';
import { type AuthService, type Role, type TokenClaims, roleAllows } from './auth.js';
import type { BacktestJobs } from './backtests.js';
import type { LogBuffer } from './log-buffer.js';
import { Metrics } from './metrics.js';
import { registerAccountRoutes } from './routes-account.js';
import { registerTradingRoutes } from './routes-trading.js';
import { registerSystemRoutes } from './routes-system.js';
import { registerStreams } from './streams.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role allowed; 'public' needs no token. Every /api route must declare one (checked at startup). */
    role?: Role | 'public';
  }
  interface FastifyRequest {
    user?: TokenClaims;
  }
}

export interface AppDeps {
  readonly node: TradingNode;
  readonly auth: AuthService;
  readonly backtests: BacktestJobs;
  readonly logs: LogBuffer;
  /** The effective configuration, served (redacted) to admins. */
  readonly config: unknown;
  readonly loginRateLimit?: { readonly max: number; readonly windowSec: number };
  /** Built dashboard (web/dist); when absent, `/` explains how to build it. */
  readonly staticDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
}

export interface AppContext extends AppDeps {
  readonly metrics: Metrics;
}

const ERROR_STATUS: Record<string, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  ORDER_NOT_OPEN: 409,
  NODE_STATE: 409,
};

/** Builds the API (no listen(): tests use inject(), the CLI listens). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Bodies and headers are never logged (no passwords, tokens or keys in logs); unknown fields are errors.
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: true,
        useDefaults: true,
        allErrors: false,
        allowUnionTypes: true,
      },
    },
  });
  const metrics = new Metrics();
  const ctx: AppContext = { ...deps, metrics };
  app.addHook('onClose', async () => metrics.close());

  app.addHook('onRoute', (r) => {
    if (r.url.startsWith('/api/') && r.config?.role === undefined)
      throw new Error(`route ${r.method} ${r.url} declares no role (config.role)`);
  });

  app.addHook('onRequest', async (req, reply) => {
    const need = req.routeOptions.config?.role;
    if (need === undefined || need === 'public') return;
    const h = req.headers.authorization;
    const claims = h?.startsWith('Bearer ') ? deps.auth.verify(h.slice(7), 'access') : undefined;
    if (!claims)
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: 'UNAUTHORIZED',
          message: h
            ? 'the access token is invalid, expired or revoked'
            : 'missing Authorization: Bearer <access token>',
        });
    if (!roleAllows(claims.role, need))
      return reply.code(403).send({
        error: 'FORBIDDEN',
        message: `${req.method} ${req.routeOptions.url} needs role '${need}'; you are '${claims.role}'`,
      });
    req.user = claims;
  });

  app.addHook('onResponse', async (req, reply) => {
    metrics.observeRequest(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler(
    (
      err: Error & {
        validation?: { instancePath: string; params: Record<string, unknown>; message?: string }[];
        validationContext?: string;
        statusCode?: number;
        code?: string;
      },
      req,
      reply,
    ) => {
      if (err.validation?.length) {
        const v = err.validation[0]!;
        let field = (err.validationContext ?? 'body') + v.instancePath.replaceAll('/', '.');
        const extra = v.params.missingProperty ?? v.params.additionalProperty;
        if (typeof extra === 'string') field += `.${extra}`;
        const why = v.params.additionalProperty ? 'is not a known field' : (v.message ?? 'is invalid');
        return reply.code(400).send({ error: 'BAD_REQUEST', field, message: `${field}: ${why}` });
      }
      if (err instanceof TickerError) {
        const status = ERROR_STATUS[err.code] ?? 400;
        return reply
          .code(status)
          .send({ error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) });
      }
      const status = err.statusCode ?? 500;
      if (status < 500)
        return reply.code(status).send({
          error: status === 429 ? 'TOO_MANY_REQUESTS' : (err.code ?? 'BAD_REQUEST'),
          message: err.message,
        });
      req.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: 'INTERNAL', message: 'internal error (see the server log)' });
    },
  );

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'TickerML API',
        version: '0.1.0',
        description:
          'Paper trading node: strategies, orders, portfolio, risk, market data, backtests. Log in at /api/v1/auth/login and send `Authorization: Bearer <accessToken>`.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  app.get(
    '/health',
    {
      config: { role: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and mode',
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string' },
              mode: { type: 'string' },
              feed: { type: 'string' },
              node: { type: 'string' },
            },
          },
        },
      },
    },
    async () => ({
      status: deps.node.status === 'running' ? 'ok' : 'degraded',
      mode: 'paper',
      feed: deps.node.feed.kind,
      node: deps.node.status,
    }),
  );
  app.get(
    '/metrics',
    {
      config: { role: 'public' },
      schema: { tags: ['system'], summary: 'Prometheus metrics (text format 0.0.4)' },
    },
    async (_req, reply) => {
      reply.type('text/plain; version=0.0.4; charset=utf-8');
      return metrics.render(deps.node);
    },
  );

  await app.register(
    async (api) => {
      // Read-your-writes against a crash: what a GET answers (orders, fills, positions, …) has reached the
      // state store, so the API never shows a record a SIGKILL could still lose (docs/API.md).
      api.addHook('preHandler', async (req) => {
        if (req.method === 'GET') await deps.node.store.persisted();
      });
      registerAccountRoutes(api, ctx);
      registerTradingRoutes(api, ctx);
      registerSystemRoutes(api, ctx);
      registerStreams(api, ctx);
    },
    { prefix: '/api/v1' },
  );

  if (deps.staticDir && existsSync(deps.staticDir)) {
    await app.register(fastifyStatic, {
      root: deps.staticDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  } else {
    app.get('/', { config: { role: 'public' }, schema: { hide: true } }, async (_req, reply) => {
      reply.type('text/html; charset=utf-8');
      return `<!doctype html><meta charset="utf-8"><title>TickerML</title><h1>TickerML paper trading node</h1><p>Mode: paper, feed: <b>${deps.node.feed.kind === 'replay' ? 'REPLAY of historical data' : 'live'}</b>.</p><p>The dashboard is not built in this checkout. The API is documented at <a href="/docs">/docs</a>.</p>`;
    });
  }
  return app;
}
