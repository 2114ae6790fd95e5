import { Socket } from 'node:net';

/**
 * Integration tests talk to real services on this machine. Under CI=true a service that cannot be
 * reached fails the test run; elsewhere the suite is skipped with a message saying what was skipped.
 */
export const SERVICES = {
  postgres: { host: '127.0.0.1', port: 5432, env: 'DATABASE_URL' },
  nats: { host: '127.0.0.1', port: 4222, env: 'NATS_URL' },
  redis: { host: '127.0.0.1', port: 6379, env: 'REDIS_URL' },
} as const;

export function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs);
    s.once('connect', () => done(true));
    s.once('timeout', () => done(false));
    s.once('error', () => done(false));
    s.connect(port, host);
  });
}

/**
 * Resolves whether a suite that needs `name` should run. Throws under CI=true when it is unreachable.
 * Use as: `const run = await requireService('postgres'); describe.runIf(run)(...)`.
 */
export async function requireService(name: keyof typeof SERVICES): Promise<boolean> {
  const svc = SERVICES[name];
  const ok = await reachable(svc.host, svc.port);
  if (ok) return true;
  const msg = `${name} is not reachable at ${svc.host}:${svc.port}`;
  if (process.env.CI === 'true') throw new Error(`${msg}; under CI=true this is a failure, not a skip`);
  console.warn(`SKIPPED: tests that need ${name} (${msg}). Start ${name} to run them.`);
  return false;
}
