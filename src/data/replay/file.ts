import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type InstrumentId,
  MarketEventColumns,
  MarketEventKind,
  TickerError,
  invalid,
} from '../../model/index.js';
import { parseBinanceCapture } from './binance.js';
import type { L2Replay } from './columns.js';
import type { GapPolicy } from './depth-sync.js';
import { parseNautilusDepthCsv } from './nautilus.js';
import { ReplayReport } from './report.js';
import { parseTardisCsv } from './tardis.js';

export type ReplayFormat = 'binance' | 'tardis' | 'nautilus';
export const REPLAY_FORMATS: readonly ReplayFormat[] = ['binance', 'tardis', 'nautilus'];

export interface ReplayFileOptions {
  readonly format: ReplayFormat;
  readonly instrumentId: InstrumentId;
  readonly onGap?: GapPolicy;
}

/** Reads a file as UTF-8 text, gunzipping `.gz` files. */
export function readReplayText(path: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new TickerError('FILE_READ', `cannot read ${path}: ${(e as Error).message}`, {
      field: 'file',
      value: path,
    });
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.toString('utf8');
}

/**
 * Loads recorded venue data from files into replay streams of one instrument. Binance: each file is one
 * capture (several files are read in the order given and must follow each other in time). Tardis: each
 * file is one of its CSV data types (detected from the header); their streams are concatenated per kind.
 * Nautilus: the depth snapshot and update CSVs of one book, read together.
 */
export function loadReplayFiles(paths: readonly string[], o: ReplayFileOptions): L2Replay {
  if (paths.length === 0) throw invalid('files', paths, 'give at least one replay file');
  if (!REPLAY_FORMATS.includes(o.format))
    throw invalid('format', o.format, `must be one of ${REPLAY_FORMATS.join(', ')}`);
  const texts = paths.map((p) => ({ text: readReplayText(p), file: basename(p) }));
  if (o.format === 'nautilus')
    return parseNautilusDepthCsv(texts, {
      instrumentId: o.instrumentId,
      ...(o.onGap ? { onGap: o.onGap } : {}),
    });
  const parts = texts.map(({ text, file }) =>
    o.format === 'binance'
      ? parseBinanceCapture(text, {
          instrumentId: o.instrumentId,
          file,
          ...(o.onGap ? { onGap: o.onGap } : {}),
        })
      : parseTardisCsv(text, { instrumentId: o.instrumentId, file }),
  );
  return parts.length === 1 ? parts[0]! : concatReplays(parts);
}

/** Concatenates replays of one instrument stream by stream (each file must continue the previous one in time). */
export function concatReplays(parts: readonly L2Replay[]): L2Replay {
  const first = parts[0]!;
  const report = new ReplayReport();
  for (const p of parts) report.absorb(p.report);
  const cat = (name: 'book' | 'trades' | 'quotes' | 'marks'): MarketEventColumns => {
    const cols = parts.map((p) => p[name]);
    const total = cols.reduce((a, c) => a + c.length, 0);
    const out = new MarketEventColumns(first.instrumentId, total, { quotes: name === 'quotes' });
    cols.forEach((c, k) => appendColumns(out, c, `files[${k}].${name}`));
    return out;
  };
  return {
    instrumentId: first.instrumentId,
    symbol: parts.find((p) => p.symbol)?.symbol,
    book: cat('book'),
    trades: cat('trades'),
    quotes: cat('quotes'),
    marks: cat('marks'),
    report,
  };
}

/** Appends every row of `c` to `out`; `c` must not start before `out` ends. */
export function appendColumns(out: MarketEventColumns, c: MarketEventColumns, field: string): void {
  if (c.length > 0 && out.length > 0 && c.ts[0]! < out.ts[out.length - 1]!)
    throw new TickerError(
      'OUT_OF_ORDER',
      `${field} starts at ${c.ts[0]} µs, before the previous file ends (${out.ts[out.length - 1]} µs); give the files in time order`,
      { field, value: c.ts[0] },
    );
  for (let i = 0; i < c.length; i++) {
    const ts = c.ts[i]!;
    const rv = c.tsRecv[i]!;
    switch (c.kind[i]) {
      case MarketEventKind.BookDelta:
        out.addDelta(ts, rv, c.sequence[i]!, c.side[i]! > 0 ? 1 : -1, c.price[i]!, c.size[i]!, c.flags[i]!);
        break;
      case MarketEventKind.BookClear:
        out.addClear(ts, rv, c.sequence[i]!);
        break;
      case MarketEventKind.Trade:
        out.addTrade(
          ts,
          rv,
          c.price[i]!,
          c.size[i]!,
          c.side[i]! > 0 ? 1 : c.side[i]! < 0 ? -1 : 0,
          c.aux[i]!,
          c.sequence[i]!,
        );
        break;
      case MarketEventKind.Quote:
        out.addQuote(ts, rv, c.price[i]!, c.size[i]!, c.price2[i]!, c.size2[i]!, c.sequence[i]!);
        break;
      case MarketEventKind.FundingRate:
        out.addFundingRate(ts, rv, c.price[i]!, c.aux[i]!);
        break;
      case MarketEventKind.MarkPrice:
        out.addMarkPrice(ts, rv, c.price[i]!, c.aux[i]!);
    }
  }
}
