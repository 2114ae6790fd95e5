#!/usr/bin/env node
// The `tickerml` command. The TypeScript is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('tickerml is not built yet: run `npm install` (it builds) or `npm run build` in the checkout.\n');
  process.exit(1);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv);
