import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { TickerError, invalid } from '../../model/index.js';

/**
 * The YAML document in `file`, not yet validated. A missing file or a YAML syntax error throws a
 * TickerError naming `field` (the option or config key that gave the file) and the file.
 */
export function readYamlFile(file: string, field: string): unknown {
  if (!existsSync(file)) throw invalid(field, file, 'file does not exist');
  try {
    return parseYaml(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new TickerError('CONFIG_PARSE', `${file}: ${(e as Error).message}`, {
      field,
      value: file,
      cause: e,
    });
  }
}
