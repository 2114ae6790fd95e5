import { afterAll, describe, it } from 'vitest';
import {
  cleanUpRestartNodes,
  killRestartAndCompare,
  writeNodeConfig,
} from '../../test/support/node-restart.js';

// `tickerml run` with its default journal, SIGKILLed mid-replay and restarted (the scenario and its
// assertions: test/support/node-restart.ts; the store-backed twin: test/integration/node-restart-store.test.ts).
afterAll(cleanUpRestartNodes);

describe('restart after SIGKILL mid-replay', () => {
  it('finds every acknowledged order, fill and position intact and the ledger reconciled', async () => {
    await killRestartAndCompare({ cfg: writeNodeConfig(), startTimeoutMs: 30_000 });
  }, 120_000);
});
