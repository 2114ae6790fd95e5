import { invalid } from '../model/index.js';
import { STRATEGIES } from '../strategies/index.js';

/** One `--strategy` of `tickerml backtest`, with the parameters and allocation that apply to it. */
export interface StrategySpec {
  /** The label params and allocations are scoped by: the name, or LABEL of `--strategy NAME:LABEL`. */
  readonly id: string;
  /** The registry name (STRATEGIES). */
  readonly name: string;
  readonly params: Record<string, string>;
  /** Share of the starting cash (0 < a ≤ 1). */
  readonly allocation: number;
}

const LABEL = /^[A-Za-z0-9_-]+$/;

function paramNames(name: string): string[] {
  const shape = (STRATEGIES.get(name)?.params as unknown as { shape?: Record<string, unknown> })?.shape;
  return Object.keys(shape ?? {});
}

function splitAssignment(flag: string, s: string, example: string): [string, string] {
  const eq = s.indexOf('=');
  if (eq <= 0) throw invalid(flag, s, `must look like name=value, e.g. ${flag} ${example}`);
  return [s.slice(0, eq).trim(), s.slice(eq + 1).trim()];
}

/**
 * Reads the repeatable `--strategy`, `--param` and `--allocation` flags:
 *
 * - `--strategy NAME` or `--strategy NAME:LABEL` (a label tells two runs of one strategy apart);
 * - `--param ID.key=value` applies to the strategy with that id (name or label); an unscoped
 *   `--param key=value` applies to the only strategy, or, with several, to the one strategy that has a
 *   parameter `key`; if several have it, it is ambiguous and refused;
 * - `--allocation ID=share`: give all strategies one or none; shares are in (0, 1] and sum to at most 1
 *   (the rest stays cash). Without them every strategy gets 1/n of the cash.
 *
 * Unknown strategies are left to createStrategy, which lists the known ones.
 */
export function parseStrategySpecs(
  strategies: readonly string[],
  params: readonly string[] = [],
  allocations: readonly string[] = [],
): StrategySpec[] {
  if (strategies.length === 0) throw invalid('--strategy', undefined, 'give at least one strategy');
  const specs: { id: string; name: string; params: Record<string, string> }[] = [];
  for (const s of strategies) {
    const colon = s.indexOf(':');
    const name = (colon < 0 ? s : s.slice(0, colon)).trim();
    const id = (colon < 0 ? name : s.slice(colon + 1)).trim();
    if (!LABEL.test(id))
      throw invalid('--strategy', s, 'a label may hold letters, digits, - and _ only (NAME:LABEL)');
    if (specs.some((x) => x.id === id))
      throw invalid(
        '--strategy',
        s,
        colon < 0
          ? `${name} is given twice: label each run, e.g. --strategy ${name}:a --strategy ${name}:b`
          : `label ${id} is used twice`,
      );
    specs.push({ id, name, params: {} });
  }
  const ids = specs.map((x) => x.id).join(', ');
  for (const p of params) {
    const [key, value] = splitAssignment('--param', p, 'fast=10');
    const dot = key.indexOf('.');
    if (dot >= 0) {
      const id = key.slice(0, dot);
      const target = specs.find((x) => x.id === id);
      if (!target) throw invalid('--param', p, `no strategy '${id}' was given (strategies: ${ids})`);
      target.params[key.slice(dot + 1)] = value;
      continue;
    }
    if (specs.length === 1) {
      specs[0]!.params[key] = value;
      continue;
    }
    const having = specs.filter((x) => paramNames(x.name).includes(key));
    if (having.length === 1) having[0]!.params[key] = value;
    else if (having.length === 0)
      throw invalid('--param', p, `none of the strategies (${ids}) has a parameter '${key}'`);
    else
      throw invalid(
        '--param',
        p,
        `is ambiguous: ${having.map((x) => x.id).join(' and ')} both have '${key}'; scope it, e.g. ${having
          .map((x) => `--param ${x.id}.${key}=${value}`)
          .join(' or ')}`,
      );
  }
  const shares = new Map<string, number>();
  for (const a of allocations) {
    const [id, value] = splitAssignment('--allocation', a, `${specs[0]!.id}=0.5`);
    if (!specs.some((x) => x.id === id))
      throw invalid('--allocation', a, `no strategy '${id}' was given (strategies: ${ids})`);
    const x = Number(value);
    if (value === '' || !(x > 0 && x <= 1)) throw invalid('--allocation', a, 'the share must be in (0, 1]');
    if (shares.has(id)) throw invalid('--allocation', a, `${id} is given twice`);
    shares.set(id, x);
  }
  if (shares.size > 0) {
    const missing = specs.filter((x) => !shares.has(x.id)).map((x) => x.id);
    if (missing.length)
      throw invalid('--allocation', missing.join(', '), 'give every strategy an allocation, or none');
    const sum = [...shares.values()].reduce((a, b) => a + b, 0);
    if (sum > 1 + 1e-9) throw invalid('--allocation', sum, 'the shares must sum to at most 1');
  }
  return specs.map((x) => ({ ...x, allocation: shares.get(x.id) ?? 1 / specs.length }));
}
