import { TickerError, invalid } from '../../model/index.js';
import { readYamlFile } from './yaml-file.js';
import {
  type RiskConfig,
  type RiskConfigInput,
  mergeRiskConfig,
  riskConfigSchema,
  strategyRiskOverrideSchema,
} from '../../risk/index.js';

/**
 * Loads a risk limits file (`config/risk_limits.yaml`): the fields of RiskConfig (docs/RISK.md) and a
 * `strategies: { <id>: { … } }` section of per-strategy overrides. Validated with zod at load; a bad field
 * throws a TickerError naming the file, the YAML path and the value:
 * `config/risk_limits.yaml: strategies.sma-cross.maxPositionShare: Too big: … (got 2)`.
 *
 * Backtests take the result as their engine's `risk` option (`new BacktestEngine({ …, risk:
 * loadRiskLimits(file) })`); `tickerml run` reads it through `riskLimits` in config/default.yaml or
 * `--risk-config FILE`.
 */
export function loadRiskLimits(file: string): RiskConfig {
  return parseRiskLimits(readRiskLimits(file), file);
}

/** The file's YAML as written (not yet validated); `{}` for an empty file. */
export function readRiskLimits(file: string): Record<string, unknown> {
  const raw = readYamlFile(file, 'riskLimits');
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalid(file, typeof raw === 'object' ? 'a list' : raw, 'must be a YAML mapping of risk limits');
  return raw as Record<string, unknown>;
}

/**
 * Validates risk limits read from `source`; the first problem throws naming the source, the dotted path
 * (under `root`) and the value. An unknown key is named by its own path, with the fields allowed there.
 */
export function parseRiskLimits(input: unknown, source: string, root = ''): RiskConfig {
  const r = riskConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String);
  let rule = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path.push(issue.keys[0]!);
    const allowed =
      path.length === 1
        ? Object.keys(riskConfigSchema.shape)
        : path[0] === 'strategies' && path.length === 3
          ? Object.keys(strategyRiskOverrideSchema.shape)
          : undefined;
    rule =
      path[0] === 'strategies' && path.length === 3
        ? `not a per-strategy limit (allowed: ${allowed!.join(', ')}; breakers, exits, groups and correlation are account-wide)`
        : `unknown field${allowed ? ` (allowed: ${allowed.join(', ')})` : ''}`;
  }
  let value: unknown = input;
  for (const k of path)
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
  const field = [root, ...path].filter(Boolean).join('.') || '(root)';
  throw new TickerError('INVALID_ARGUMENT', `${source}: ${field}: ${rule} (got ${JSON.stringify(value)})`, {
    field,
    value,
  });
}

/**
 * The trading node's limits: the file's, with the inline `node.risk` of the app configuration on top
 * (top-level fields replace, `correlation`/`anomaly` merge one level, `strategies` merge per id). Every
 * strategy id under `strategies` must be one of the node's strategies (a typo would silently not apply).
 */
export function nodeRiskLimits(
  file: string,
  inline: Readonly<Record<string, unknown>>,
  strategyIds: readonly string[],
): RiskConfig {
  const fromFile = readRiskLimits(file);
  parseRiskLimits(fromFile, file); // errors name the file's own paths first
  const merged = mergeRiskConfig(fromFile as RiskConfigInput, inline as RiskConfigInput);
  const config = parseRiskLimits(merged, `${file} with node.risk`);
  for (const id of Object.keys(config.strategies))
    if (!strategyIds.includes(id))
      throw invalid(
        `strategies.${id}`,
        id,
        `no strategy with this id in node.strategies (${strategyIds.join(', ') || 'none'}) — ${file}`,
      );
  return config;
}
