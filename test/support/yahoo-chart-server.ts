import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recorded exchange from yahoo-finance2's test suite (test/fixtures/yahoo, see ORIGIN.md). */
interface Recorded {
  response: { status: number; bodyJson?: unknown; body?: string };
}
const recorded = (file: string): Recorded =>
  JSON.parse(readFileSync(new URL(`../fixtures/yahoo/${file}`, import.meta.url), 'utf8')) as Recorded;

/** Symbol → the recorded Yahoo chart answer served for it, whatever the query. */
const CHARTS: Record<string, Recorded> = {
  AAPL: recorded('chart-AAPL-2020-01-01-to-2020-01-03.json'),
  'WSU.DE': recorded('chart-WSU.DE-2023-08-04-to-2023-08-09.json'),
  BEKE: recorded('chart-BEKE-2020-01-01-to-2020-01-03.json'),
};

/**
 * A local HTTP server standing in for query2.finance.yahoo.com: `/v8/finance/chart/{symbol}` answers
 * with the recorded status and body byte for byte; anything else is a plain-text 404. Logs the URLs asked.
 */
export function yahooChartServer() {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const u = new URL(req.url ?? '', 'http://x');
    const m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(u.pathname);
    const r = m ? CHARTS[decodeURIComponent(m[1]!)] : undefined;
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not recorded');
    }
    res.writeHead(r.response.status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(r.response.body ?? JSON.stringify(r.response.bodyJson));
  });
  return {
    asked,
    start: () =>
      new Promise<string>((ok) =>
        server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
