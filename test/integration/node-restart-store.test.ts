import { randomBytes } from 'node:crypto';
import { afterAll, describe, it } from 'vitest';
import { openPostgresClient } from '../../src/storage/index.js';
import { requireService } from '../support/services.js';
import { cleanUpRestartNodes, killRestartAndCompare, writeNodeConfig } from '../support/node-restart.js';

// `tickerml run --state store`, SIGKILLed mid-replay and restarted: every acknowledged order, fill and
// position is back and the ledger reconciles (the store-backed twin of src/cli/run.restart.test.ts; the
// scenario is test/support/node-restart.ts), on the node's embedded PGlite database and on PostgreSQL.
afterAll(cleanUpRestartNodes);
const store = ['--state', 'store'];

describe('tickerml run --state store: restart after SIGKILL mid-replay', () => {
  it('PGlite under the data dir: every acknowledged order, fill and position intact, ledger reconciled', async () => {
    const cfg = writeNodeConfig('{ kind: journal }'); // --state store overrides the file
    await killRestartAndCompare({
      cfg,
      args: store,
      startTimeoutMs: 60_000,
      stateLine: /state:\s+store PGlite .*node-pglite/,
    });
  }, 180_000);
});

const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgRun = await requireService('postgres');
describe.runIf(pgRun)('tickerml run --state store on PostgreSQL: restart after SIGKILL mid-replay', () => {
  const schema = `tickerml_test_restart_${process.pid}_${randomBytes(3).toString('hex')}`;
  afterAll(async () => {
    const c = await openPostgresClient({ url: pgUrl, schema });
    await c.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.close();
  });
  it('every acknowledged order, fill and position intact, ledger reconciled', async () => {
    const cfg = writeNodeConfig(`{ kind: store, schema: ${schema}, account: 'paper:restart' }`);
    await killRestartAndCompare({
      cfg,
      args: store,
      env: { DATABASE_URL: pgUrl },
      startTimeoutMs: 60_000,
      stateLine: /state:\s+store PostgreSQL .*schema tickerml_test_restart_/,
    });
  }, 180_000);
});
