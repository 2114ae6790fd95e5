import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvBars } from '../../src/data/csv-bars.js';
import { exportBarsCsv, isoMicros } from '../../src/data/export-bars.js';
import { importBarsCsv, listStoredData } from '../../src/data/import-bars.js';
import { type SqlClient, migrate, openPgliteClient } from '../../src/storage/index.js';

const GOOG = 'test/fixtures/backtesting_py/GOOG.csv';
const EURUSD = 'test/fixtures/backtesting_py/EURUSD.csv';

describe('data import / list / export (embedded store)', () => {
  let db: SqlClient;
  let dir: string;
  beforeAll(async () => {
    db = await openPgliteClient({ dataDir: 'memory' });
    await migrate(db);
    dir = mkdtempSync(join(tmpdir(), 'tickerml-export-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  });

  it('imports a pandas CSV once, however often it is re-run', async () => {
    const first = await importBarsCsv(db, GOOG, { timeframe: '1d' });
    expect(first).toMatchObject({
      instrumentId: 'GOOG',
      layout: 'pandas',
      rows: 2148,
      inserted: 2148,
      skipped: 0,
    });
    const again = await importBarsCsv(db, GOOG, { timeframe: '1d' });
    expect(again).toMatchObject({ rows: 2148, inserted: 0, skipped: 2148 });
    await importBarsCsv(db, EURUSD, { timeframe: '1h', instrumentId: 'EUR/USD.FX' });
    const list = await listStoredData(db);
    expect(
      list.map((s) => [s.instrumentId, s.timeframe, s.rows, isoMicros(s.firstTs), isoMicros(s.lastTs)]),
    ).toEqual([
      ['EUR/USD.FX', '1h', 5000, '2017-04-19T09:00:00Z', isoMicros(list[0]!.lastTs)],
      ['GOOG', '1d', 2148, '2004-08-19T00:00:00Z', '2013-03-01T00:00:00Z'],
    ]);
  });

  it('exports CSV that reads back to the same numbers (header pandas parses with parse_dates)', async () => {
    const out = join(dir, 'eurusd.csv');
    const n = await exportBarsCsv(db, { instrumentId: 'EUR/USD.FX', timeframe: '1h' }, out);
    expect(n).toBe(5000);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe('timestamp,open,high,low,close,volume');
    expect(text.split('\n')[1]).toBe('2017-04-19T09:00:00Z,1.0716,1.0722,1.07083,1.07219,1413');
    const back = readCsvBars(out).series;
    const orig = readCsvBars(EURUSD).series;
    expect(Array.from(back.ts)).toEqual(Array.from(orig.ts));
    expect(Array.from(back.close)).toEqual(Array.from(orig.close));
    expect(Array.from(back.volume)).toEqual(Array.from(orig.volume));
  });

  it('exports a range, or integer µs timestamps on request', async () => {
    const out = join(dir, 'goog.csv');
    const from = Date.UTC(2010, 0, 1) * 1000;
    const to = Date.UTC(2010, 0, 8) * 1000;
    expect(
      await exportBarsCsv(db, { instrumentId: 'GOOG', timeframe: '1d', from, to }, out, { timeFormat: 'us' }),
    ).toBe(4);
    expect(readFileSync(out, 'utf8').split('\n')[1]!.split(',')[0]).toBe(String(Date.UTC(2010, 0, 4) * 1000));
    await expect(exportBarsCsv(db, { instrumentId: 'NOPE', timeframe: '1d' }, out)).rejects.toMatchObject({
      code: 'NO_DATA',
    });
  });

  it('writes sub-second times with the digits they need', () => {
    expect(isoMicros(1_704_067_200_000_000)).toBe('2024-01-01T00:00:00Z');
    expect(isoMicros(1_704_067_200_123_000)).toBe('2024-01-01T00:00:00.123Z');
    expect(isoMicros(1_704_067_200_123_456)).toBe('2024-01-01T00:00:00.123456Z');
  });

  it('refuses an import without a valid timeframe, naming the field', async () => {
    const f = join(dir, 'x.csv');
    writeFileSync(f, 'timestamp,open,high,low,close\n1,1,1,1,1\n');
    await expect(importBarsCsv(db, f, { timeframe: 'daily' })).rejects.toMatchObject({ field: 'timeframe' });
  });
});
