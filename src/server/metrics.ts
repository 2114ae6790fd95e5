import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TradingNode } from '../engine/trading-node.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1];

/** Prometheus text exposition (format 0.0.4), written by hand: a handful of series needs no client library. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly hist = new Map<string, { counts: number[]; sum: number; n: number }>();
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });
  wsClients = 0;
  wsDropped = 0;
  wsQueuedBytes: () => number = () => 0;

  constructor() {
    this.loop.enable();
  }

  close(): void {
    this.loop.disable();
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const hk = `method="${method}",route="${route}"`;
    let h = this.hist.get(hk);
    if (!h) this.hist.set(hk, (h = { counts: BUCKETS.map(() => 0), sum: 0, n: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.n++;
  }

  render(node: TradingNode): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, rows: [string, number][]): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of rows)
        out.push(`${name}${labels ? `{${labels}}` : ''} ${Number.isFinite(v) ? v : 'NaN'}`);
    };
    const c = node.counters;
    metric('tickerml_bars_total', 'counter', 'Bars processed by the node.', [['', c.bars]]);
    metric('tickerml_orders_total', 'counter', 'Orders seen by the node (all strategies, manual, risk).', [
      ['', c.orders],
    ]);
    metric('tickerml_orders_denied_total', 'counter', 'Orders denied by pre-trade risk.', [['', c.denied]]);
    metric('tickerml_fills_total', 'counter', 'Fills.', [['', c.fills]]);
    metric('tickerml_store_appends_total', 'counter', 'Records written to the state store.', [
      ['', c.storeAppends],
    ]);
    metric(
      'tickerml_bar_latency_seconds',
      'gauge',
      'Processing time of the last bar (feed to snapshot, incl. store write).',
      [['', c.lastBarLatencyUs / 1e6]],
    );
    metric('tickerml_bar_latency_seconds_sum', 'counter', 'Total bar processing time.', [
      ['', c.barLatencySumUs / 1e6],
    ]);
    metric('tickerml_open_orders', 'gauge', 'Open orders (queue depth at the venue).', [
      ['', node.kernel.execution.openOrders().length],
    ]);
    metric('tickerml_replay', 'gauge', '1 when the feed replays historical data (not live).', [
      ['', node.feed.kind === 'replay' ? 1 : 0],
    ]);
    metric('tickerml_ws_clients', 'gauge', 'Connected WebSocket clients.', [['', this.wsClients]]);
    metric('tickerml_ws_queued_bytes', 'gauge', 'Bytes queued on WebSocket sockets (send queue depth).', [
      ['', this.wsQueuedBytes()],
    ]);
    metric('tickerml_ws_dropped_total', 'counter', 'Messages dropped for slow WebSocket clients.', [
      ['', this.wsDropped],
    ]);
    metric('tickerml_http_requests_total', 'counter', 'HTTP requests.', [...this.requests.entries()]);
    out.push(
      '# HELP tickerml_http_request_duration_seconds HTTP request latency.',
      '# TYPE tickerml_http_request_duration_seconds histogram',
    );
    for (const [labels, h] of this.hist) {
      BUCKETS.forEach((b, i) =>
        out.push(`tickerml_http_request_duration_seconds_bucket{${labels},le="${b}"} ${h.counts[i]}`),
      );
      out.push(`tickerml_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.n}`);
      out.push(
        `tickerml_http_request_duration_seconds_sum{${labels}} ${h.sum}`,
        `tickerml_http_request_duration_seconds_count{${labels}} ${h.n}`,
      );
    }
    const mem = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident set size.', [['', mem.rss]]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap used.', [['', mem.heapUsed]]);
    metric('nodejs_eventloop_lag_p99_seconds', 'gauge', 'Event loop delay, p99.', [
      ['', this.loop.percentile(99) / 1e9],
    ]);
    metric('process_uptime_seconds', 'gauge', 'Process uptime.', [['', process.uptime()]]);
    return out.join('\n') + '\n';
  }
}
