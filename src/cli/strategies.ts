import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { L2_STRATEGIES, STRATEGIES, type StrategyEntry } from '../strategies/index.js';

/** One parameter of a built-in strategy, as `tickerml strategies` shows it. */
export interface ParamInfo {
  readonly name: string;
  /** 'integer', 'number', 'boolean', 'string' (from the zod schema's JSON Schema). */
  readonly type: string;
  /** The value used when the parameter is not given; undefined when it is required. */
  readonly default?: unknown;
  readonly required: boolean;
  readonly description: string;
  /** Allowed values of an enum parameter. */
  readonly choices?: readonly unknown[];
  /** Bounds, e.g. ">= 1", "> 0", "<= 1". */
  readonly range?: string;
}

export interface StrategyInfo {
  readonly name: string;
  readonly description: string;
  /** 'bars': `tickerml backtest`; 'l2': needs order books and trades, `tickerml backtest-l2`. */
  readonly data: 'bars' | 'l2';
  readonly command: 'backtest' | 'backtest-l2';
  readonly params: readonly ParamInfo[];
}

interface JsonProp {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
}

function rangeOf(p: JsonProp): string | undefined {
  const parts: string[] = [];
  if (p.exclusiveMinimum !== undefined) parts.push(`> ${p.exclusiveMinimum}`);
  else if (p.minimum !== undefined && p.minimum > Number.MIN_SAFE_INTEGER) parts.push(`>= ${p.minimum}`);
  if (p.exclusiveMaximum !== undefined) parts.push(`< ${p.exclusiveMaximum}`);
  else if (p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER) parts.push(`<= ${p.maximum}`);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * The parameters of a strategy's zod schema with their defaults. The default is what the field itself
 * parses `undefined` to (zod 4 applies `.default()` there), which also works through `z.preprocess`
 * (boolParam), where the JSON Schema export drops the default; type, bounds and choices come from the
 * JSON Schema export.
 */
export function describeParams(schema: z.ZodType): ParamInfo[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonProp>;
  };
  return Object.entries(shape).map(([name, field]) => {
    const prop = json.properties?.[name] ?? {};
    const d = field.safeParse(undefined);
    const range = rangeOf(prop);
    return {
      name,
      type: prop.type ?? (prop.enum ? typeof prop.enum[0] : 'unknown'),
      ...(d.success ? { default: d.data } : {}),
      required: !d.success,
      description: field.description ?? '',
      ...(prop.enum ? { choices: prop.enum } : {}),
      ...(range ? { range } : {}),
    };
  });
}

function info(e: StrategyEntry, data: 'bars' | 'l2'): StrategyInfo {
  return {
    name: e.name,
    description: e.description,
    data,
    command: data === 'bars' ? 'backtest' : 'backtest-l2',
    params: describeParams(e.params),
  };
}

/** Every built-in strategy: the bar strategies (STRATEGIES), then the L2 ones (L2_STRATEGIES). */
export function listStrategies(): StrategyInfo[] {
  return [
    ...[...STRATEGIES.values()].map((e) => info(e, 'bars')),
    ...[...L2_STRATEGIES.values()].map((e) => info(e, 'l2')),
  ];
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The human-readable listing. */
export function formatStrategies(list: readonly StrategyInfo[]): string {
  const lines: string[] = [];
  for (const s of list) {
    const tag = s.data === 'l2' ? '  [L2: order books + trades, run with `tickerml backtest-l2`]' : '';
    lines.push(`${s.name}${tag}`, `  ${s.description}`);
    const width = Math.max(0, ...s.params.map((p) => p.name.length + show(p.default).length));
    for (const p of s.params) {
      const lhs = p.required ? `${p.name}=<required>` : `${p.name}=${show(p.default)}`;
      const kind = [p.type, p.choices ? `one of ${p.choices.map(show).join('|')}` : p.range]
        .filter(Boolean)
        .join(', ');
      lines.push(`    --param ${lhs.padEnd(width + 2)}  ${p.description} (${kind})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function registerStrategies(program: Command): void {
  program
    .command('strategies')
    .description('list the built-in strategies, their parameters and defaults (bar and L2 strategies)')
    .option('--json [file]', 'print (or write to FILE) the list as JSON instead')
    .action((o: { json?: string | boolean }) => {
      const list = listStrategies();
      if (o.json === undefined) return void process.stdout.write(formatStrategies(list));
      const text = JSON.stringify({ strategies: list }, null, 2) + '\n';
      if (typeof o.json === 'string') writeFileSync(o.json, text);
      else process.stdout.write(text);
    });
}
