import { createHash } from 'node:crypto';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { BarSeries, TickerError, instrumentId } from '../../model/index.js';
import type { BarsRef } from './messages.js';
import type { QueueNames } from './names.js';

/** Under NATS' default 1 MiB max_payload with room for headers. */
const CHUNK_BYTES = 512 * 1024;
const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

interface BarsMeta {
  readonly instrumentId: string;
  readonly length: number;
  readonly chunks: number;
}

// Bars travel as raw float64 columns; every platform Node runs on in practice is little-endian, and a
// big-endian one would read garbage, so it is refused instead.
function assertLittleEndian(): void {
  if (new Uint8Array(new Float64Array([1]).buffer)[7] !== 0x3f)
    throw new TickerError('NATS_ENDIANNESS', 'distributed research needs a little-endian machine');
}

function columnsBytes(bars: BarSeries): Uint8Array {
  const n = bars.length;
  const out = new Float64Array(n * COLUMNS.length);
  COLUMNS.forEach((c, k) => out.set(bars[c], k * n));
  return new Uint8Array(out.buffer);
}

function hashOf(id: string, bytes: Uint8Array): string {
  return createHash('sha256').update(id).update('\n').update(bytes).digest('hex');
}

/**
 * Puts the bars into the bars stream once, addressed by the SHA-256 of their content, so any worker on any
 * machine can load them and a second search on the same data uploads nothing. Chunks go first and the
 * `meta` message last: a reader that finds `meta` finds every chunk.
 */
export async function putBars(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: QueueNames,
  bars: BarSeries,
): Promise<BarsRef> {
  assertLittleEndian();
  const bytes = columnsBytes(bars);
  const hash = hashOf(bars.instrumentId, bytes);
  const have = await jsm.streams.getMessage(names.barsStream, {
    last_by_subj: names.barsSubject(hash, 'meta'),
  });
  if (have) return { hash };
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  for (let i = 0; i < chunks; i++)
    await js.publish(names.barsSubject(hash, i), bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES));
  const meta: BarsMeta = { instrumentId: bars.instrumentId, length: bars.length, chunks };
  await js.publish(names.barsSubject(hash, 'meta'), JSON.stringify(meta));
  return { hash };
}

/** Loads bars put by putBars and checks them against their hash. */
export async function getBars(jsm: JetStreamManager, names: QueueNames, ref: BarsRef): Promise<BarSeries> {
  assertLittleEndian();
  const missing = () =>
    new TickerError(
      'NATS_BARS_MISSING',
      `bars ${ref.hash} are not in stream ${names.barsStream} (expired or deleted); rerun the search`,
      { field: 'bars.hash', value: ref.hash },
    );
  const m = await jsm.streams.getMessage(names.barsStream, {
    last_by_subj: names.barsSubject(ref.hash, 'meta'),
  });
  if (!m) throw missing();
  const meta = m.json<BarsMeta>();
  const bytes = new Uint8Array(meta.length * COLUMNS.length * 8);
  let at = 0;
  for (let i = 0; i < meta.chunks; i++) {
    const c = await jsm.streams.getMessage(names.barsStream, {
      last_by_subj: names.barsSubject(ref.hash, i),
    });
    if (!c) throw missing();
    bytes.set(c.data, at);
    at += c.data.length;
  }
  if (at !== bytes.length || hashOf(meta.instrumentId, bytes) !== ref.hash)
    throw new TickerError(
      'NATS_BARS_CORRUPT',
      `bars ${ref.hash} in ${names.barsStream} do not match their hash`,
      {
        field: 'bars.hash',
        value: ref.hash,
      },
    );
  const n = meta.length;
  const all = new Float64Array(bytes.buffer);
  const col = (k: number) => all.subarray(k * n, (k + 1) * n);
  return new BarSeries(instrumentId(meta.instrumentId), {
    ts: col(0),
    open: col(1),
    high: col(2),
    low: col(3),
    close: col(4),
    volume: col(5),
  });
}
