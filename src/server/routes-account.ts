import type { FastifyInstance } from 'fastify';
import { TickerError } from '../model/index.js';
import type { AppContext } from './app.js';
import type { Role } from './auth.js';
import { routeSchema, z } from './route-schema.js';
import { createUserBody, loginBody, refreshBody, tokenPair, userSchema } from './schemas.js';

export function registerAccountRoutes(api: FastifyInstance, ctx: AppContext): void {
  const { auth } = ctx;
  const rl = ctx.loginRateLimit ?? { max: 10, windowSec: 60 };

  api.post<{ Body: z.infer<typeof loginBody> }>(
    '/auth/login',
    {
      config: {
        role: 'public',
        // Per client address and user name: guessing one account's password is slowed without locking others out.
        rateLimit: {
          hook: 'preHandler',
          max: rl.max,
          timeWindow: rl.windowSec * 1000,
          keyGenerator: (req) =>
            `${req.ip}|${(req.body as { username?: string } | undefined)?.username ?? ''}`,
        },
      },
      schema: routeSchema({
        tags: ['auth'],
        summary: 'Log in: an access token (short-lived) and a refresh token',
        body: loginBody,
        response: tokenPair,
        isPublic: true,
      }),
    },
    async (req, reply) => {
      const pair = await auth.login(req.body.username, req.body.password);
      if (!pair)
        return reply.code(401).send({ error: 'UNAUTHORIZED', message: 'wrong user name or password' });
      return pair;
    },
  );

  api.post<{ Body: z.infer<typeof refreshBody> }>(
    '/auth/refresh',
    {
      config: { role: 'public' },
      schema: routeSchema({
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair (the old refresh token is spent)',
        body: refreshBody,
        response: tokenPair,
        isPublic: true,
      }),
    },
    async (req, reply) => {
      const pair = auth.refresh(req.body.refreshToken);
      if (!pair)
        return reply.code(401).send({
          error: 'UNAUTHORIZED',
          message: 'the refresh token is invalid, expired, revoked or already used',
          field: 'body.refreshToken',
        });
      return pair;
    },
  );

  api.post<{ Body: { refreshToken?: string } }>(
    '/auth/logout',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['auth'],
        summary: 'Revoke this access token and (if given) the refresh token',
        body: z.object({ refreshToken: z.string().optional() }).strict(),
        response: z.object({ ok: z.boolean() }),
      }),
    },
    async (req) => {
      auth.revoke(req.user!);
      const r = req.body?.refreshToken ? auth.verify(req.body.refreshToken, 'refresh') : undefined;
      if (r && r.sub === req.user!.sub) auth.revoke(r);
      return { ok: true };
    },
  );

  api.get(
    '/auth/me',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['auth'],
        summary: 'Who am I',
        response: z.object({ username: z.string(), role: z.string(), expiresAt: z.number() }),
      }),
    },
    async (req) => ({
      username: req.user!.sub,
      role: req.user!.role,
      expiresAt: req.user!.exp,
    }),
  );

  api.get(
    '/users',
    {
      config: { role: 'admin' },
      schema: routeSchema({ tags: ['users'], summary: 'List users (admin)', response: z.array(userSchema) }),
    },
    async () => auth.listUsers(),
  );

  api.post<{ Body: { username: string; password: string; role: Role } }>(
    '/users',
    {
      config: { role: 'admin' },
      schema: routeSchema({
        tags: ['users'],
        summary: 'Create a user (admin)',
        body: createUserBody,
        response: userSchema,
        status: 201,
      }),
    },
    async (req, reply) =>
      reply.code(201).send(await auth.createUser(req.body.username, req.body.password, req.body.role)),
  );

  api.delete<{ Params: { username: string } }>(
    '/users/:username',
    {
      config: { role: 'admin' },
      schema: routeSchema({
        tags: ['users'],
        summary: 'Delete a user (admin); the last admin stays',
        params: z.object({ username: z.string().min(1) }),
        response: z.object({ ok: z.boolean() }),
      }),
    },
    async (req) => {
      if (!auth.deleteUser(req.params.username))
        throw new TickerError('NOT_FOUND', `no user '${req.params.username}'`, {
          field: 'params.username',
          value: req.params.username,
        });
      return { ok: true };
    },
  );
}
