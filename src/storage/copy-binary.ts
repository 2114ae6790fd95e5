import { TickerError } from '../model/index.js';

import type { NumericColumnType } from './sql-client.js';

export type BinaryColumnType = NumericColumnType;

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

/**
 * Decodes PostgreSQL's binary COPY output (https://www.postgresql.org/docs/current/sql-copy.html,
 * "Binary Format") of int8/float8 columns into Float64Arrays; NULL becomes NaN. About 7M rows/s, against
 * ~0.3M rows/s for the same rows parsed as query results, which is why bar reads go through COPY.
 */
export function decodeBinaryColumns(buf: Uint8Array, types: readonly BinaryColumnType[]): Float64Array[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < SIGNATURE.length; i++)
    if (buf[i] !== SIGNATURE[i])
      throw new TickerError('STORE_COPY', 'not a binary COPY stream (bad signature)');
  const start = 11 + 4 + 4 + dv.getUint32(15);
  // First pass: count rows so each column is allocated once.
  let n = 0;
  let p = start;
  for (;;) {
    const fields = dv.getInt16(p);
    p += 2;
    if (fields === -1) break;
    if (fields !== types.length)
      throw new TickerError('STORE_COPY', `COPY row has ${fields} columns, expected ${types.length}`);
    for (let f = 0; f < fields; f++) {
      const len = dv.getInt32(p);
      p += 4 + (len > 0 ? len : 0);
    }
    n++;
  }
  const cols = types.map(() => new Float64Array(n));
  p = start;
  for (let r = 0; r < n; r++) {
    p += 2;
    for (let f = 0; f < types.length; f++) {
      const len = dv.getInt32(p);
      p += 4;
      if (len < 0) {
        cols[f]![r] = Number.NaN;
        continue;
      }
      if (len !== 8)
        throw new TickerError('STORE_COPY', `COPY column ${f} has ${len} bytes, expected 8 (${types[f]})`);
      // int8 as hi·2^32 + lo: exact below 2^53 and several times faster than getBigInt64 + Number().
      cols[f]![r] =
        types[f] === 'int8' ? dv.getInt32(p) * 4294967296 + dv.getUint32(p + 4) : dv.getFloat64(p);
      p += 8;
    }
  }
  return cols;
}

/** Decodes `n` rows of big-endian int8/float8 values packed back to back (int8send/float8send output). */
export function decodeRowMajor(
  buf: Uint8Array,
  n: number,
  types: readonly BinaryColumnType[],
): Float64Array[] {
  const k = types.length;
  if (buf.length !== n * k * 8)
    throw new TickerError(
      'STORE_COPY',
      `packed rows: ${buf.length} bytes for ${n} rows of ${k} columns (a NULL in a column?)`,
    );
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const cols = types.map(() => new Float64Array(n));
  let p = 0;
  for (let r = 0; r < n; r++)
    for (let f = 0; f < k; f++, p += 8)
      cols[f]![r] =
        types[f] === 'int8' ? dv.getInt32(p) * 4294967296 + dv.getUint32(p + 4) : dv.getFloat64(p);
  return cols;
}
