import { describe, expect, it } from 'vitest';
import { decodeBinaryColumns, decodeRowMajor } from './copy-binary.js';
import { CopyText, escapeText, levelsJson } from './copy-format.js';

/** Builds a binary COPY stream by hand, as the server sends it. */
function binaryCopy(rows: (number | null)[][], types: ('int8' | 'float8')[]): Uint8Array {
  const parts: number[] = [
    0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
  ];
  const dv = new DataView(new ArrayBuffer(8));
  for (const r of rows) {
    parts.push(0, r.length);
    r.forEach((v, i) => {
      if (v === null) return parts.push(0xff, 0xff, 0xff, 0xff);
      parts.push(0, 0, 0, 8);
      if (types[i] === 'int8') dv.setBigInt64(0, BigInt(v));
      else dv.setFloat64(0, v);
      for (let k = 0; k < 8; k++) parts.push(dv.getUint8(k));
      return 0;
    });
  }
  parts.push(0xff, 0xff);
  return Uint8Array.from(parts);
}

describe('binary COPY decoding', () => {
  it('decodes int8 (µs timestamps, negative too) and float8 columns exactly, NULL as NaN', () => {
    const buf = binaryCopy(
      [
        [1_704_067_200_000_000, 0.1 + 0.2],
        [-5, null],
        [2 ** 53 - 1, -1e-300],
      ],
      ['int8', 'float8'],
    );
    const [ts, x] = decodeBinaryColumns(buf, ['int8', 'float8']);
    expect(Array.from(ts!)).toEqual([1_704_067_200_000_000, -5, 2 ** 53 - 1]);
    expect(x![0]).toBe(0.1 + 0.2);
    expect(Number.isNaN(x![1])).toBe(true);
    expect(x![2]).toBe(-1e-300);
  });

  it('decodes rows packed by int8send/float8send and refuses a short buffer', () => {
    const dv = new DataView(new ArrayBuffer(32));
    dv.setBigInt64(0, 1_704_067_200_000_001n);
    dv.setFloat64(8, 0.1 + 0.2);
    dv.setBigInt64(16, 7n);
    dv.setFloat64(24, -2.5);
    const [ts, x] = decodeRowMajor(new Uint8Array(dv.buffer), 2, ['int8', 'float8']);
    expect(Array.from(ts!)).toEqual([1_704_067_200_000_001, 7]);
    expect(Array.from(x!)).toEqual([0.1 + 0.2, -2.5]);
    expect(() => decodeRowMajor(new Uint8Array(24), 2, ['int8', 'float8'])).toThrow(/NULL/);
  });

  it('refuses a stream that is not binary COPY', () => {
    expect(() => decodeBinaryColumns(new Uint8Array(20), ['int8'])).toThrow(/signature/);
  });
});

describe('COPY text building', () => {
  it('escapes the characters COPY gives meaning to and writes null as \\N', () => {
    const t = new CopyText().str('a\tb\\c\nd').nul().int('ts', 12).num('px', 0.5).end();
    expect(t.toString()).toBe('a\\tb\\\\c\\nd\t\\N\t12\t0.5\n');
  });
  it('refuses non-finite numbers, fractional timestamps and NUL characters, naming the field', () => {
    expect(() => new CopyText().num('bars.close', Number.NaN)).toThrow(/bars.close/);
    expect(() => new CopyText().int('bars.ts', 1.5)).toThrow(/bars.ts/);
    expect(() => escapeText('a\0b')).toThrow(/NUL/);
    expect(() => levelsJson('bids', [[1, Number.POSITIVE_INFINITY]])).toThrow(/bids\[0\]/);
  });
  it('writes levels as JSON pairs', () => {
    expect(
      levelsJson('bids', [
        [100.5, 2],
        [100, 0],
      ]),
    ).toBe('[[100.5,2],[100,0]]');
  });
});
