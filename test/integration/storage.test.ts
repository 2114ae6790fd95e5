import { randomBytes } from 'node:crypto';
import { openPgliteClient, openPostgresClient, migrate, type SqlClient } from '../../src/storage/index.js';
import { requireService } from '../support/services.js';
import { storageContract } from './storage-contract.js';

// Each run gets its own schema so parallel runs on one server never see each other's rows.
const runSchema = `tickerml_test_${process.pid}_${randomBytes(3).toString('hex')}`;

storageContract(
  'PGlite (embedded, in memory)',
  async () => {
    const c = await openPgliteClient({ dataDir: 'memory', schema: runSchema });
    await migrate(c);
    return c;
  },
  (c) => c.close(),
);

const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
if (await requireService('postgres')) {
  storageContract(
    `PostgreSQL server (${pgUrl.replace(/:[^:@/]*@/, ':***@')})`,
    async () => {
      const c = await openPostgresClient({ url: pgUrl, schema: runSchema });
      await migrate(c);
      return c;
    },
    async (c: SqlClient) => {
      await c.exec(`DROP SCHEMA IF EXISTS "${runSchema}" CASCADE`);
      await c.close();
    },
  );
}
