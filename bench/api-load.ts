/**
 * The API benchmark's load generator, in its own process so that it does not share the server's event
 * loop: autocannon at a constant overall rate over keep-alive connections. Prints autocannon's result
 * as JSON on stdout. Usage: node dist/bench/api-load.js BASE_URL TOKEN RATE SECONDS PATH…
 */
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';

interface Result {
  latency: { p50: number; p99: number; p99_9: number; max: number };
  requests: { total: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

const [base, token, rate, seconds, ...paths] = process.argv.slice(2);
if (!base || !token || !rate || !seconds || paths.length === 0)
  throw new Error('usage: api-load BASE_URL TOKEN RATE SECONDS PATH…');
const result = (await autocannon({
  url: base,
  connections: 10,
  overallRate: Number(rate),
  duration: Number(seconds),
  headers: { authorization: `Bearer ${token}` },
  requests: paths.map((path) => ({ method: 'GET', path })),
})) as Result;
process.stdout.write(JSON.stringify(result));
