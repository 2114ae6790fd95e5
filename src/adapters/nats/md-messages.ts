import type { CollectedBookUpdate, CollectedFunding, CollectedTrade } from '../../data/collector/index.js';
import type { Level } from '../../storage/index.js';
import { TickerError } from '../../model/index.js';
import type { MdKind } from './md-names.js';

/**
 * Market-data messages are the collector's rows as JSON, one row per JetStream message (the subject says
 * the kind). `mid`/`spread` of a book row may be NaN (an empty side): it travels as null.
 *
 * The message id (`Nats-Msg-Id`) names the row by what the venue numbered it with, so the same row
 * published twice inside the stream's duplicate window is stored once:
 * book `<instrument>:b:<d|s>:<update id>`, trade `<instrument>:t:<trade id>`, funding `<instrument>:f:<ts>`.
 */
export type MdRow =
  | { readonly kind: 'book'; readonly row: CollectedBookUpdate }
  | { readonly kind: 'trade'; readonly row: CollectedTrade }
  | { readonly kind: 'funding'; readonly row: CollectedFunding };

const enc = new TextEncoder();
const dec = new TextDecoder();

export function mdMsgId(m: MdRow): string {
  switch (m.kind) {
    case 'book':
      return `${m.row.instrumentId}:b:${m.row.snapshot ? 's' : 'd'}:${m.row.sequence}`;
    case 'trade':
      return `${m.row.instrumentId}:t:${m.row.tradeId}`;
    case 'funding':
      return `${m.row.instrumentId}:f:${m.row.ts}`;
  }
}

export function encodeMd(row: object): Uint8Array {
  return enc.encode(JSON.stringify(row));
}

class BadMd extends TickerError {
  constructor(kind: MdKind, field: string, value: unknown) {
    super('MD_MALFORMED', `malformed ${kind} message: ${field} ${JSON.stringify(value)}`, { field, value });
  }
}

type Obj = Record<string, unknown>;

function num(kind: MdKind, o: Obj, f: string, nullable = false): number {
  const v = o[f];
  if (nullable && v === null) return Number.NaN;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadMd(kind, f, v);
  return v;
}
function int(kind: MdKind, o: Obj, f: string): number {
  const v = num(kind, o, f);
  if (!Number.isSafeInteger(v)) throw new BadMd(kind, f, v);
  return v;
}
function str(kind: MdKind, o: Obj, f: string): string {
  const v = o[f];
  if (typeof v !== 'string' || v === '') throw new BadMd(kind, f, v);
  return v;
}
function levels(o: Obj, f: string): Level[] {
  const v = o[f];
  if (!Array.isArray(v)) throw new BadMd('book', f, v);
  for (const l of v as unknown[])
    if (
      !Array.isArray(l) ||
      l.length !== 2 ||
      typeof l[0] !== 'number' ||
      typeof l[1] !== 'number' ||
      !Number.isFinite(l[0]) ||
      !Number.isFinite(l[1])
    )
      throw new BadMd('book', f, l);
  return v as Level[];
}

/** Parses and checks one message of `kind`; throws MD_MALFORMED naming the field at fault. */
export function decodeMd(kind: MdKind, data: Uint8Array): MdRow {
  let o: Obj;
  try {
    o = JSON.parse(dec.decode(data)) as Obj;
  } catch {
    throw new BadMd(kind, 'json', dec.decode(data.subarray(0, 80)));
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new BadMd(kind, 'json', o);
  const instrumentId = str(kind, o, 'instrumentId');
  const ts = int(kind, o, 'ts');
  const tsRecv = int(kind, o, 'tsRecv');
  switch (kind) {
    case 'book': {
      if (typeof o.snapshot !== 'boolean') throw new BadMd(kind, 'snapshot', o.snapshot);
      return {
        kind,
        row: {
          instrumentId,
          ts,
          tsRecv,
          sequence: int(kind, o, 'sequence'),
          snapshot: o.snapshot,
          bids: levels(o, 'bids'),
          asks: levels(o, 'asks'),
          mid: num(kind, o, 'mid', true),
          spread: num(kind, o, 'spread', true),
        },
      };
    }
    case 'trade': {
      const aggressor = o.aggressor;
      if (aggressor !== 1 && aggressor !== -1) throw new BadMd(kind, 'aggressor', aggressor);
      return {
        kind,
        row: {
          instrumentId,
          ts,
          tsRecv,
          tradeId: int(kind, o, 'tradeId'),
          price: num(kind, o, 'price'),
          size: num(kind, o, 'size'),
          aggressor,
        },
      };
    }
    case 'funding':
      return {
        kind,
        row: {
          instrumentId,
          ts,
          tsRecv,
          rate: num(kind, o, 'rate'),
          fundingTs: int(kind, o, 'fundingTs'),
          markPrice: num(kind, o, 'markPrice'),
        },
      };
  }
}
