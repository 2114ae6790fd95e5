import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './harness.js';

/**
 * `npm run bench [-- --json FILE] [-- --only NAME]`: runs every bench/*.bench.ts (compiled) in its own
 * process, prints one line per figure and optionally writes `{ name: { value, unit } }` to FILE.
 */
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !only || f.startsWith(only))
  .sort();
const all: Figure[] = [];
let failed = 0;
for (const f of files) {
  process.stderr.write(`running ${f} …\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, f)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const out = r.stdout ?? '';
  const marker = out.lastIndexOf('@@FIGURES@@');
  if (r.status !== 0 || marker < 0) {
    failed++;
    process.stderr.write(`${f} failed (exit ${r.status}):\n${r.stderr}\n${out}\n`);
    continue;
  }
  const figs = JSON.parse(out.slice(marker + 11).trim()) as Figure[];
  for (const fig of figs) {
    all.push(fig);
    const v =
      Math.abs(fig.value) >= 1000 ? Math.round(fig.value).toLocaleString('en-US') : fig.value.toFixed(3);
    console.log(`${fig.name.padEnd(34)} ${v.padStart(16)} ${fig.unit}`);
  }
}
if (jsonFile) {
  const obj: Record<string, { value: number; unit: string }> = {};
  for (const f of all) obj[f.name] = { value: f.value, unit: f.unit };
  writeFileSync(jsonFile, JSON.stringify(obj, null, 2) + '\n');
  console.log(`wrote ${jsonFile}`);
}
process.exitCode = failed ? 1 : 0;
