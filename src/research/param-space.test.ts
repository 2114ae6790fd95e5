import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Random } from '../core/index.js';
import { TickerError } from '../model/index.js';
import { ParamSpace, lessThan, paramKey } from './param-space.js';

describe('ParamSpace', () => {
  const space = new ParamSpace({
    strategy: 'sma-cross',
    dimensions: {
      fast: { kind: 'int', min: 5, max: 15, step: 5 },
      slow: { kind: 'int', min: 10, max: 20, step: 5 },
    },
  });

  it('enumerates the lattice and drops what the schema refuses (fast < slow)', () => {
    expect(space.rawSize).toBe(9);
    expect(space.grid()).toEqual([
      { fast: 5, slow: 10 },
      { fast: 5, slow: 15 },
      { fast: 5, slow: 20 },
      { fast: 10, slow: 15 },
      { fast: 10, slow: 20 },
      { fast: 15, slow: 20 },
    ]);
    expect(space.violation({ fast: 15, slow: 10 })).toBe('fast must be less than slow');
  });

  it('refuses names the schema does not have and levels the schema refuses', () => {
    expect(
      () => new ParamSpace({ strategy: 'sma-cross', dimensions: { fats: { kind: 'int', min: 1, max: 3 } } }),
    ).toThrow(/dimensions\.fats.*not a parameter of sma-cross/);
    try {
      new ParamSpace({ strategy: 'sma-cross', dimensions: { fast: { kind: 'int', min: 0, max: 3 } } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TickerError);
      expect((e as TickerError).field).toBe('dimensions.fast');
      expect((e as TickerError).value).toBe(0);
    }
    expect(
      () => new ParamSpace({ strategy: 'nope', dimensions: { a: { kind: 'int', min: 1, max: 2 } } }),
    ).toThrow(/strategy/);
  });

  it('applies extra constraints and fixed values; floats step without drift', () => {
    const s = new ParamSpace({
      schema: z.object({ a: z.number(), b: z.number(), c: z.string() }),
      dimensions: {
        a: { kind: 'float', min: 0, max: 0.3, step: 0.1 },
        b: { kind: 'choice', values: [0.1, 0.2] },
      },
      fixed: { c: 'x' },
      constraints: [lessThan('a', 'b')],
    });
    expect(s.levels('a')).toEqual([0, 0.1, 0.2, 0.3]);
    expect(s.grid()).toEqual([
      { a: 0, b: 0.1 },
      { a: 0, b: 0.2 },
      { a: 0.1, b: 0.2 },
    ]);
    expect(s.complete({ a: 0, b: 0.1 })).toEqual({ a: 0, b: 0.1, c: 'x' });
  });

  it('samples distinct valid candidates, the same for the same seed', () => {
    const a = space.sample(6, new Random(3));
    const b = space.sample(6, new Random(3));
    expect(a).toEqual(b);
    expect(new Set(a.map(paramKey)).size).toBe(6);
    expect(a.every((p) => (p.fast as number) < (p.slow as number))).toBe(true);
    expect(() => space.sample(7, new Random(3))).toThrow(/only 6 of 7/);
  });
});
