import { describe, expect, it } from 'vitest';
import { RowStore, resized } from './typed-arrays.js';

describe('resized', () => {
  it('copies into a larger array of the same type and fills the new slots', () => {
    const a = Int32Array.from([1, 2, 3]);
    const b = resized(a, 5, -1);
    expect(b).toBeInstanceOf(Int32Array);
    expect([...b]).toEqual([1, 2, 3, -1, -1]);
  });
});

describe('RowStore', () => {
  it('keeps every appended row across chunk boundaries, without moving earlier rows', () => {
    const rows = new RowStore(3);
    const firstChunk = rows.append();
    firstChunk[rows.at] = 7;
    firstChunk[rows.at + 1] = 8;
    firstChunk[rows.at + 2] = 9;
    for (let i = 1; i < 2500; i++) {
      const c = rows.append();
      c[rows.at] = i;
      c[rows.at + 1] = -i;
      c[rows.at + 2] = i * 0.5;
    }
    expect(rows.length).toBe(2500);
    // Row 0 is still in the first chunk it was written to: chunks are never copied.
    expect(rows.chunk(0)).toBe(firstChunk);
    expect([...rows.chunk(0).subarray(rows.offset(0), rows.offset(0) + 3)]).toEqual([7, 8, 9]);
    for (const i of [1, 1023, 1024, 1025, 2047, 2048, 2499]) {
      const c = rows.chunk(i);
      const o = rows.offset(i);
      expect([c[o], c[o + 1], c[o + 2]]).toEqual([i, -i, i * 0.5]);
    }
    expect(rows.chunk(1023)).toBe(firstChunk);
    expect(rows.chunk(1024)).not.toBe(firstChunk);
  });
});
