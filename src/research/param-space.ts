import type { z } from 'zod';
import type { Random } from '../core/index.js';
import { TickerError, invalid } from '../model/index.js';
import { STRATEGIES } from '../strategies/index.js';

/** A parameter value as it travels to a worker and into a report: plain data only. */
export type ParamValue = number | string | boolean;
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * One searched parameter. `int`/`float` are lattices `min, min+step, …, max` (a float needs a step to be
 * enumerated; without one it can only be sampled). `choice` lists the values.
 */
export type Dimension =
  | { readonly kind: 'int'; readonly min: number; readonly max: number; readonly step?: number }
  | { readonly kind: 'float'; readonly min: number; readonly max: number; readonly step?: number }
  | { readonly kind: 'choice'; readonly values: readonly ParamValue[] };

/** A named rule every candidate must satisfy (e.g. fast < slow), beyond what the schema checks. */
export interface Constraint {
  readonly name: string;
  readonly holds: (p: Params) => boolean;
}

export interface ParamSpaceOptions {
  /** The strategy's registry name (src/strategies): its zod schema validates every candidate. */
  readonly strategy?: string;
  /** A schema to validate against when there is no strategy (e.g. a test function). */
  readonly schema?: z.ZodType;
  readonly dimensions: Readonly<Record<string, Dimension>>;
  /** Values held fixed for every candidate (merged under the searched ones). */
  readonly fixed?: Params;
  readonly constraints?: readonly Constraint[];
}

const MAX_LEVELS = 1_000_000;

/** `a < b` as a named constraint. */
export function lessThan(a: string, b: string): Constraint {
  return { name: `${a} < ${b}`, holds: (p) => (p[a] as number) < (p[b] as number) };
}

/**
 * A search space derived from a strategy's parameter schema: the searched names must be fields of the
 * schema, every level of every dimension must pass that field's own rule, and a candidate is valid only
 * if the whole schema (including refinements such as sma-cross's fast < slow) and the extra constraints
 * accept it.
 */
export class ParamSpace {
  readonly strategy: string | undefined;
  readonly names: readonly string[];
  readonly dimensions: Readonly<Record<string, Dimension>>;
  readonly fixed: Params;
  readonly constraints: readonly Constraint[];
  private readonly schema: z.ZodType | undefined;
  private readonly levelCache = new Map<string, readonly ParamValue[]>();

  constructor(o: ParamSpaceOptions) {
    this.strategy = o.strategy;
    let schema = o.schema;
    if (o.strategy !== undefined) {
      const entry = STRATEGIES.get(o.strategy);
      if (!entry)
        throw invalid('strategy', o.strategy, `must be one of ${[...STRATEGIES.keys()].join(', ')}`);
      schema = entry.params;
    }
    this.schema = schema;
    this.names = Object.keys(o.dimensions).sort();
    if (this.names.length === 0)
      throw invalid('dimensions', o.dimensions, 'name at least one parameter to search');
    this.dimensions = o.dimensions;
    this.fixed = o.fixed ?? {};
    this.constraints = o.constraints ?? [];
    const shape = schemaShape(schema);
    for (const name of this.names) {
      const field = shape?.[name];
      if (shape && !field)
        throw invalid(
          `dimensions.${name}`,
          name,
          `is not a parameter of ${o.strategy ?? 'the schema'} (${Object.keys(shape).join(', ')})`,
        );
      for (const v of checkDimension(name, o.dimensions[name]!)) {
        if (field && !field.safeParse(v).success)
          throw invalid(`dimensions.${name}`, v, `is refused by the parameter's schema`);
      }
    }
    for (const k of Object.keys(this.fixed))
      if (this.names.includes(k)) throw invalid(`fixed.${k}`, this.fixed[k], 'is also a searched dimension');
  }

  /** The lattice of one dimension (a float without a step has none: it is sampled). */
  levels(name: string): readonly ParamValue[] {
    const hit = this.levelCache.get(name);
    if (hit) return hit;
    const d = this.dimensions[name];
    if (!d) throw invalid('dimension', name, `must be one of ${this.names.join(', ')}`);
    const lv = checkDimension(name, d);
    this.levelCache.set(name, lv);
    return lv;
  }

  /** Number of lattice points before constraints. */
  get rawSize(): number {
    return this.names.reduce((a, n) => a * this.levels(n).length, 1);
  }

  /** Fixed values merged with a candidate. */
  complete(p: Params): Params {
    return { ...this.fixed, ...p };
  }

  /** Why a candidate is refused, or undefined when it is valid. */
  violation(p: Params): string | undefined {
    const full = this.complete(p);
    for (const c of this.constraints) if (!c.holds(full)) return c.name;
    if (this.schema) {
      const r = this.schema.safeParse(full);
      if (!r.success) return r.error.issues[0]!.message;
    }
    return undefined;
  }

  isValid(p: Params): boolean {
    return this.violation(p) === undefined;
  }

  /** Every valid lattice point, in lexicographic order of the sorted names (deterministic). */
  grid(): Params[] {
    const lv = this.names.map((n) => {
      const l = this.levels(n);
      if (l.length === 0)
        throw invalid(`dimensions.${n}.step`, undefined, 'a float dimension needs a step to be enumerated');
      return l;
    });
    if (this.rawSize > MAX_LEVELS)
      throw invalid(
        'grid.size',
        this.rawSize,
        `must be at most ${MAX_LEVELS}; use random search or the genetic algorithm`,
      );
    const out: Params[] = [];
    const idx = new Array<number>(lv.length).fill(0);
    for (;;) {
      const p: Record<string, ParamValue> = {};
      for (let d = 0; d < lv.length; d++) p[this.names[d]!] = lv[d]![idx[d]!]!;
      if (this.isValid(p)) out.push(p);
      let d = lv.length - 1;
      while (d >= 0 && ++idx[d]! === lv[d]!.length) idx[d--] = 0;
      if (d < 0) return out;
    }
  }

  /** One uniform draw of one dimension (lattice point, or continuous for a float without step). */
  draw(name: string, rnd: Random): ParamValue {
    const d = this.dimensions[name]!;
    const lv = this.levels(name);
    if (lv.length > 0) return lv[rnd.int(lv.length)]!;
    const f = d as { min: number; max: number };
    return rnd.uniform(f.min, f.max);
  }

  /**
   * `n` valid candidates drawn uniformly (rejection sampling against the constraints), distinct when the
   * space allows. Refuses when constraints reject nearly everything.
   */
  sample(n: number, rnd: Random): Params[] {
    if (!Number.isInteger(n) || n < 1) throw invalid('samples', n, 'must be a positive integer');
    const out: Params[] = [];
    const seen = new Set<string>();
    let tries = 0;
    const maxTries = 1000 * n;
    while (out.length < n) {
      if (++tries > maxTries)
        throw new TickerError(
          'SPACE_EXHAUSTED',
          `drew ${tries - 1} candidates but only ${out.length} of ${n} were valid and distinct; widen the space or ask for fewer`,
          { field: 'samples', value: n },
        );
      const p: Record<string, ParamValue> = {};
      for (const name of this.names) p[name] = this.draw(name, rnd);
      const key = paramKey(p);
      if (seen.has(key) || !this.isValid(p)) continue;
      seen.add(key);
      out.push(p);
    }
    return out;
  }
}

/** A canonical key for a candidate (sorted names), for de-duplication and caching. */
export function paramKey(p: Params): string {
  return JSON.stringify(
    Object.keys(p)
      .sort()
      .map((k) => [k, p[k]]),
  );
}

function schemaShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  const s = schema as unknown as { shape?: Record<string, z.ZodType> } | undefined;
  return s && typeof s.shape === 'object' ? s.shape : undefined;
}

function checkDimension(name: string, d: Dimension): ParamValue[] {
  const f = `dimensions.${name}`;
  if (d.kind === 'choice') {
    if (!Array.isArray(d.values) || d.values.length === 0)
      throw invalid(`${f}.values`, d.values, 'must list at least one value');
    return [...d.values];
  }
  if (!Number.isFinite(d.min) || !Number.isFinite(d.max) || d.min > d.max)
    throw invalid(`${f}`, { min: d.min, max: d.max }, 'needs finite min <= max');
  if (d.kind === 'int') {
    const step = d.step ?? 1;
    if (!Number.isInteger(d.min) || !Number.isInteger(d.max) || !Number.isInteger(step) || step < 1)
      throw invalid(`${f}`, d, 'an int dimension needs integer min, max and a step >= 1');
    const out: number[] = [];
    for (let v = d.min; v <= d.max; v += step) out.push(v);
    return out;
  }
  if (d.step === undefined) return [];
  if (!(d.step > 0)) throw invalid(`${f}.step`, d.step, 'must be positive');
  const count = Math.floor((d.max - d.min) / d.step + 1e-9) + 1;
  if (count > MAX_LEVELS) throw invalid(`${f}.step`, d.step, `gives ${count} levels; at most ${MAX_LEVELS}`);
  const out: number[] = [];
  // Each level from min + i·step (not accumulated) so 0.1-steps do not drift.
  for (let i = 0; i < count; i++) out.push(Number((d.min + i * d.step).toPrecision(12)));
  return out;
}
