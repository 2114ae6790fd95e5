import { BarSeries, TickerError, instrumentId as asInstrumentId } from '../../model/index.js';
import { type SqlClient, listBarSeries, saveBars } from '../../storage/index.js';
import { type MarketDataProvider, timeframeMicros } from './port.js';

export interface DownloadRequest {
  readonly symbol: string;
  readonly timeframe: string;
  /** Inclusive start, µs. */
  readonly from: number;
  /** Exclusive end, µs. */
  readonly to: number;
  /** Stored series id (default `<provider>:<symbol>`). */
  readonly instrumentId?: string;
  /** Bars asked per request (default 1000, Binance's maximum for spot klines). */
  readonly pageSize?: number;
}

export interface DownloadResult {
  readonly instrumentId: string;
  /** Where this run started: `from`, or just after the last stored bar when resuming. */
  readonly resumedFrom: number;
  readonly requests: number;
  readonly received: number;
  readonly inserted: number;
}

/**
 * Downloads bars page by page into the store. Resumable: when the store already holds this series
 * from `from` on, the download starts after its last bar. Idempotent: the store keys bars by
 * (instrument, timeframe, time), so a re-run or an overlapping page adds nothing twice.
 */
export async function downloadBars(
  provider: MarketDataProvider,
  client: SqlClient,
  req: DownloadRequest,
  onProgress?: (doneUs: number, totalUs: number) => void,
): Promise<DownloadResult> {
  const step = timeframeMicros(req.timeframe);
  if (step === undefined)
    throw new TickerError(
      'INVALID_ARGUMENT',
      `--timeframe: ${JSON.stringify(req.timeframe)} is not a count and a unit; use e.g. 1m, 1h, 1d`,
      {
        field: 'timeframe',
        value: req.timeframe,
      },
    );
  if (!(req.to > req.from))
    throw new TickerError(
      'INVALID_ARGUMENT',
      `--to: must be after --from (got from ${req.from} µs, to ${req.to} µs)`,
      {
        field: 'to',
        value: req.to,
      },
    );
  const id = req.instrumentId ?? `${provider.name}:${req.symbol}`;
  const stored = (await listBarSeries(client, id)).find((s) => s.timeframe === req.timeframe);
  let cursor = req.from;
  if (stored && stored.firstTs <= req.from && stored.lastTs >= req.from) cursor = stored.lastTs + step;
  const resumedFrom = cursor;
  const total = req.to - req.from;
  let requests = 0;
  let received = 0;
  let inserted = 0;
  onProgress?.(Math.min(total, cursor - req.from), total);
  while (cursor < req.to) {
    const page = await provider.fetchOhlcv({
      symbol: req.symbol,
      timeframe: req.timeframe,
      from: cursor,
      limit: req.pageSize ?? 1000,
    });
    requests++;
    const rows = page.filter((c) => c.ts >= cursor && c.ts < req.to).sort((a, b) => a.ts - b.ts);
    if (rows.length === 0) break; // the venue has nothing more in the range
    const n = rows.length;
    const cols = {
      ts: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const c = rows[i]!;
      cols.ts[i] = c.ts;
      cols.open[i] = c.open;
      cols.high[i] = c.high;
      cols.low[i] = c.low;
      cols.close[i] = c.close;
      cols.volume[i] = c.volume;
    }
    const r = await saveBars(client, new BarSeries(asInstrumentId(id), cols), req.timeframe);
    received += n;
    inserted += r.inserted;
    cursor = rows[n - 1]!.ts + step;
    onProgress?.(Math.min(total, cursor - req.from), total);
  }
  return { instrumentId: id, resumedFrom, requests, received, inserted };
}
