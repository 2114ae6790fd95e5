import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { yahooChartServer } from '../../test/support/yahoo-chart-server.js';
import { listBarSeries, loadBars, openStore } from '../storage/index.js';
import { main } from './main.js';

describe('tickerml data download --provider yahoo', () => {
  const srv = yahooChartServer();
  let url = '';
  beforeAll(async () => {
    url = await srv.start();
  });
  afterAll(() => srv.stop());

  it('stores the recorded AAPL daily bar under yahoo:AAPL; a re-run adds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickerml-yahoo-'));
    const args = [
      'node',
      'tickerml',
      'data',
      'download',
      '--provider',
      'yahoo',
      '--symbol',
      'AAPL',
      '--timeframe',
      '1d',
      '--from',
      '2020-01-01',
      '--to',
      '2020-01-03',
      '--base-url',
      url,
      '--data-dir',
      dir,
      '--quiet',
    ];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await main(args)).toBe(0);
      expect(String(log.mock.calls.at(-1)?.[0])).toBe(
        'yahoo:AAPL 1d: 1 new bars stored, 0 already there, 1 requests',
      );
      expect(await main(args)).toBe(0);
      expect(String(log.mock.calls.at(-1)?.[0])).toMatch(/0 new bars stored, 1 already there/);
    } finally {
      log.mockRestore();
    }
    const store = await openStore({ dataDir: dir });
    try {
      const [s] = await listBarSeries(store, 'yahoo:AAPL');
      expect(s).toMatchObject({ timeframe: '1d', rows: 1, firstTs: Date.UTC(2020, 0, 2) * 1000 });
      const bars = await loadBars(store, { instrumentId: 'yahoo:AAPL', timeframe: '1d' });
      expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([
        74.05999755859375, 75.1500015258789, 73.79750061035156, 75.0875015258789, 135480400,
      ]);
    } finally {
      await store.close();
    }
  });
});
