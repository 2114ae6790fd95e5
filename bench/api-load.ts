/**
 * The API benchmark's load generator, in its own process so that it does not share the server's event
 * loop: an open-loop client that sends GETs at a constant rate over keep-alive connections and times each
 * one from its scheduled send time (so a stalled server is charged for the requests it delayed:
 * coordinated omission corrected). Prints `{ latency: { p50, p99, max }, requests: { total }, non2xx,
 * errors, timeouts }` as JSON on stdout.
 *
 * Why not autocannon: its rate limit releases each connection's quota at the start of every second, so
 * 500 requests/s arrive as bursts and even a bare `http.createServer` answering a constant showed a p99
 * of 27–32 ms here; wrk has no constant-rate mode. Usage:
 *   node dist/bench/api-load.js BASE_URL TOKEN RATE SECONDS PATH…
 */
import { Agent, request } from 'node:http';

const [base, token, rateArg, secondsArg, ...paths] = process.argv.slice(2);
if (!base || !token || !rateArg || !secondsArg || paths.length === 0)
  throw new Error('usage: api-load BASE_URL TOKEN RATE SECONDS PATH…');
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const url = new URL(base);
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const total = Math.round(rate * seconds);
const lat = new Float64Array(total);
let done = 0;
let non2xx = 0;
let errors = 0;
let timeouts = 0;

function send(i: number, due: number): void {
  const req = request(
    {
      host: url.hostname,
      port: url.port,
      path: paths[i % paths.length],
      agent,
      headers: { authorization: `Bearer ${token}` },
      timeout: 10_000,
    },
    (res) => {
      if (res.statusCode !== 200) non2xx++;
      res.on('data', () => undefined);
      res.on('end', () => {
        lat[done++] = performance.now() - due;
        if (done === total) finish();
      });
    },
  );
  let timedOut = false;
  req.on('timeout', () => {
    timedOut = true;
    timeouts++;
    req.destroy(); // emits 'error': the request is counted once, as a timeout
  });
  req.on('error', () => {
    if (!timedOut) errors++;
    lat[done++] = performance.now() - due;
    if (done === total) finish();
  });
  req.end();
}

function finish(): void {
  agent.destroy();
  const sorted = lat.slice(0, done).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  process.stdout.write(
    JSON.stringify({
      latency: { p50: q(0.5), p99: q(0.99), max: sorted[sorted.length - 1]! },
      requests: { total: done },
      non2xx,
      errors,
      timeouts,
    }),
  );
}

// Send every request whose scheduled time has come, then sleep until the next one is due.
const interval = 1000 / rate;
const t0 = performance.now() + 50;
let next = 0;
function tick(): void {
  const now = performance.now();
  while (next < total && t0 + next * interval <= now) {
    send(next, t0 + next * interval);
    next++;
  }
  if (next < total) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
}
setTimeout(tick, 50);
