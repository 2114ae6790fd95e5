import { Random } from '../core/index.js';
import { TickerError, invalid } from '../model/index.js';
import {
  DEFAULT_OBJECTIVES,
  type Metrics,
  type Trial,
  bestIndex,
  checkObjectives,
  orient,
} from './objectives.js';
import { type ParamValue, type Params, paramKey } from './param-space.js';
import { crowdingDistance, nonDominatedSort, paretoFront } from './pareto.js';
import type { SearchOptions, SearchResult } from './search.js';

export interface GeneticOptions extends SearchOptions {
  readonly seed: number;
  /** Individuals per generation (default 24). */
  readonly population?: number;
  /** Upper bound on generations (default 30). */
  readonly generations?: number;
  /** Contestants per tournament (default 2). */
  readonly tournament?: number;
  /** Probability that two parents are crossed rather than copied (default 0.9). */
  readonly crossoverRate?: number;
  /** Probability that each gene mutates (default 1 / number of parameters). */
  readonly mutationRate?: number;
  /** Best individuals copied unchanged into the next generation (default 2). */
  readonly elite?: number;
  /** Stop when the Pareto front of everything evaluated has not changed for this many generations (default 5). */
  readonly patience?: number;
}

export interface GeneticResult extends SearchResult {
  readonly generations: number;
  readonly stoppedEarly: boolean;
}

type Genome = number[];

/**
 * A genetic algorithm over the space's lattice: binary tournament selection on (Pareto rank, crowding
 * distance) as in NSGA-II (Deb et al. 2002), uniform crossover, mutation by a few lattice steps, elitism,
 * and an early stop once the front of everything evaluated stops changing. A candidate is evaluated once
 * (results are cached by parameters). Deterministic for a seed: every draw comes from one seeded Random
 * and the runner returns results in candidate order.
 */
export async function geneticSearch(o: GeneticOptions): Promise<GeneticResult> {
  const objectives = o.objectives ?? DEFAULT_OBJECTIVES;
  checkObjectives(objectives);
  const space = o.space;
  const names = space.names;
  const levels = names.map((n) => {
    const l = space.levels(n);
    if (l.length === 0)
      throw invalid(
        `dimensions.${n}.step`,
        undefined,
        'the genetic algorithm needs a lattice: give the float a step',
      );
    return l;
  });
  const size = posInt('population', o.population ?? 24);
  const maxGen = posInt('generations', o.generations ?? 30);
  const tour = posInt('tournament', o.tournament ?? 2);
  const elite = o.elite ?? 2;
  if (!Number.isInteger(elite) || elite < 0 || elite >= size)
    throw invalid('elite', elite, `must be an integer in [0, population)`);
  const patience = posInt('patience', o.patience ?? 5);
  const pc = prob('crossoverRate', o.crossoverRate ?? 0.9);
  const pm = prob('mutationRate', o.mutationRate ?? 1 / names.length);
  const rnd = new Random(o.seed);

  const toParams = (g: Genome): Params => {
    const p: Record<string, ParamValue> = {};
    for (let d = 0; d < names.length; d++) p[names[d]!] = levels[d]![g[d]!]!;
    return p;
  };
  const randomGenome = (): Genome => levels.map((l) => rnd.int(l.length));
  const validGenome = (make: () => Genome): Genome => {
    for (let k = 0; k < 50; k++) {
      const g = make();
      if (space.isValid(toParams(g))) return g;
    }
    for (let k = 0; k < 10_000; k++) {
      const g = randomGenome();
      if (space.isValid(toParams(g))) return g;
    }
    throw new TickerError('SPACE_EXHAUSTED', 'could not draw a candidate that satisfies the constraints', {
      field: 'space',
      value: names,
    });
  };

  const cache = new Map<string, Metrics>();
  const archive: Trial[] = [];
  const evaluate = async (pop: Genome[]): Promise<Metrics[]> => {
    const fresh: Params[] = [];
    const freshKeys = new Set<string>();
    for (const g of pop) {
      const p = toParams(g);
      const k = paramKey(p);
      if (!cache.has(k) && !freshKeys.has(k)) {
        freshKeys.add(k);
        fresh.push(p);
      }
    }
    if (fresh.length > 0) {
      const ms = await o.runner.evaluate(
        fresh.map((p) => o.space.complete(p)),
        o.window,
      );
      fresh.forEach((p, i) => {
        cache.set(paramKey(p), ms[i]!);
        archive.push({ params: p, metrics: ms[i]! });
      });
    }
    return pop.map((g) => cache.get(paramKey(toParams(g)))!);
  };

  let pop: Genome[] = Array.from({ length: size }, () => validGenome(randomGenome));
  let fit = await evaluate(pop);
  let frontKey = frontSignature(archive, objectives);
  let still = 0;
  let gen = 1;
  let stoppedEarly = false;
  while (gen < maxGen) {
    const { rank, crowd } = rankPopulation(fit.map((m) => orient(m, objectives)));
    const better = (a: number, b: number): boolean =>
      rank[a]! !== rank[b]! ? rank[a]! < rank[b]! : crowd[a]! !== crowd[b]! ? crowd[a]! > crowd[b]! : a < b;
    const pick = (): Genome => {
      let w = rnd.int(size);
      for (let k = 1; k < tour; k++) {
        const c = rnd.int(size);
        if (better(c, w)) w = c;
      }
      return pop[w]!;
    };
    const order = pop.map((_, i) => i).sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    const next: Genome[] = order.slice(0, elite).map((i) => [...pop[i]!]);
    while (next.length < size) {
      const a = pick();
      const b = pick();
      next.push(
        validGenome(() => {
          const child = rnd.next() < pc ? a.map((x, d) => (rnd.next() < 0.5 ? x : b[d]!)) : [...a];
          for (let d = 0; d < child.length; d++)
            if (rnd.next() < pm) child[d] = mutate(child[d]!, levels[d]!.length, rnd);
          return child;
        }),
      );
    }
    pop = next;
    fit = await evaluate(pop);
    gen++;
    const key = frontSignature(archive, objectives);
    still = key === frontKey ? still + 1 : 0;
    frontKey = key;
    if (still >= patience) {
      stoppedEarly = gen < maxGen;
      break;
    }
  }
  return {
    method: 'genetic',
    trials: archive,
    front: paretoFront(archive, objectives),
    best: archive[bestIndex(archive, objectives)]!,
    objectives,
    evaluations: archive.length,
    generations: gen,
    stoppedEarly,
  };
}

/** A move of ±1 to ±3 lattice steps (small moves more likely), kept inside the lattice. */
function mutate(i: number, n: number, rnd: Random): number {
  if (n <= 1) return i;
  const reach = Math.max(1, Math.round(n / 10));
  let step = 1 + rnd.int(Math.min(3, reach) * 2);
  if (rnd.next() < 0.5) step = -step;
  const j = i + step;
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

function rankPopulation(vectors: number[][]): { rank: Int32Array; crowd: Float64Array } {
  const rank = new Int32Array(vectors.length);
  const crowd = new Float64Array(vectors.length);
  nonDominatedSort(vectors).forEach((front, r) => {
    const cd = crowdingDistance(vectors, front);
    for (const i of front) {
      rank[i] = r;
      crowd[i] = cd.get(i)!;
    }
  });
  return { rank, crowd };
}

function frontSignature(archive: readonly Trial[], objectives: Parameters<typeof paretoFront>[1]): string {
  return paretoFront(archive, objectives)
    .map((t) => paramKey(t.params))
    .sort()
    .join('|');
}

function posInt(field: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw invalid(field, v, 'must be a positive integer');
  return v;
}

function prob(field: string, v: number): number {
  if (!(v >= 0 && v <= 1)) throw invalid(field, v, 'must be a probability in [0, 1]');
  return v;
}
