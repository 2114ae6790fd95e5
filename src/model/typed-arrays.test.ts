import { describe, expect, it } from 'vitest';
import { ChunkedList, RowStore, resized } from './typed-arrays.js';

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

describe('ChunkedList', () => {
  it('keeps order across chunks and gives one array, extended in place on later reads', () => {
    const list = new ChunkedList<{ i: number }>();
    const items = Array.from({ length: 2_500 }, (_, i) => ({ i }));
    for (const x of items.slice(0, 1_500)) list.push(x);
    expect(list.length).toBe(1_500);
    expect(list.get(0)).toBe(items[0]);
    expect(list.get(1_023)).toBe(items[1_023]);
    expect(list.get(1_024)).toBe(items[1_024]);
    const first = list.toArray();
    expect(first).toEqual(items.slice(0, 1_500));
    for (const x of items.slice(1_500)) list.push(x);
    const again = list.toArray();
    expect(again).toBe(first);
    expect(again).toHaveLength(2_500);
    expect(again[2_499]).toBe(items[2_499]);
    expect(list.get(2_048)).toBe(items[2_048]);
  });
});
