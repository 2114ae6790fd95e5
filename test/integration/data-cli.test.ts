import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readCsvBars } from '../../src/data/csv-bars.js';
import { loadBars, openPostgresClient, openStore } from '../../src/storage/index.js';
import { requireService } from '../support/services.js';

// `tickerml data import/list/export/check` end to end through main(), on real bars copied into
// test/fixtures (origins in test/fixtures/ORIGIN.md): backtesting.py's GOOG daily (pandas layout),
// Nautilus' BTC perpetual 1-minute bars (ISO µs header) and ADABTC Binance klines (no header).
const GOOG = 'test/fixtures/backtesting_py/GOOG.csv';
const BTC = 'test/fixtures/nautilus/btc-perp-20211231-20220201_1m.csv';
const ADA = 'test/fixtures/nautilus/ADABTC-1m-2021-11-27.csv';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function tickerml(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ') + '\n'));
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    const code = await main(['node', 'tickerml', ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    log.mockRestore();
    so.mockRestore();
    se.mockRestore();
  }
}

function dataCliSuite(name: string, store: () => { flags: string[]; cleanup: () => Promise<void> }): void {
  describe(`tickerml data commands: ${name}`, () => {
    let flags: string[] = [];
    let cleanup: () => Promise<void> = async () => {};
    let dir = '';
    const exitCode = process.exitCode;
    beforeAll(() => {
      ({ flags, cleanup } = store());
      dir = mkdtempSync(join(tmpdir(), 'tickerml-data-cli-'));
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await cleanup();
    });
    afterEach(() => {
      process.exitCode = exitCode;
    });
    const flag = (f: string) => (flags.includes(f) ? flags[flags.indexOf(f) + 1] : undefined);
    const open = () =>
      openStore({
        databaseUrl: flag('--database-url'),
        dataDir: flag('--data-dir'),
        schema: flag('--schema'),
      });

    it('imports the three CSV layouts once, however often it is re-run', async () => {
      const g = await tickerml(['data', 'import', GOOG, '--venue', 'nasdaq', '--quiet', ...flags]);
      expect(g.code).toBe(0);
      expect(g.out).toMatch(
        /^nasdaq:GOOG 1d \(inferred; --timeframe to override\): 2148 bars read from .*GOOG.csv \(pandas\), 2148 new, 0 already stored; 2004-08-19 → 2013-03-01$/m,
      );
      const again = await tickerml([
        'data',
        'import',
        GOOG,
        '--venue',
        'nasdaq',
        '--timeframe',
        '1d',
        ...flags,
      ]);
      expect(again.out).toMatch(/^nasdaq:GOOG 1d: 2148 bars read .*, 0 new, 2148 already stored/m);
      const btc = await tickerml([
        'data',
        'import',
        BTC,
        '--symbol',
        'BTC-PERP',
        '--venue',
        'binance',
        '--timeframe',
        '1m',
        ...flags,
      ]);
      expect(btc.code).toBe(0);
      expect(btc.out).toMatch(
        /binance:BTC-PERP 1m: 45031 bars read .*\(header\), 45031 new, 0 already stored/,
      );
      const ada = await tickerml([
        'data',
        'import',
        ADA,
        '--symbol',
        'ADA/BTC',
        '--venue',
        'binance',
        ...flags,
      ]);
      expect(ada.out).toMatch(/binance:ADA\/BTC 1m \(inferred.*\): 10 bars read .*\(binance\), 10 new/);
      const db = await open();
      try {
        const s = await loadBars(db, { instrumentId: 'nasdaq:GOOG', timeframe: '1d' });
        const f = readCsvBars(GOOG).series;
        expect(s.length).toBe(2148);
        expect(Array.from(s.close)).toEqual(Array.from(f.close));
        expect(Array.from(s.ts)).toEqual(Array.from(f.ts));
      } finally {
        await db.close();
      }
    });

    it('lists the stored series as a table and as JSON', async () => {
      const t = await tickerml(['data', 'list', ...flags]);
      expect(t.code).toBe(0);
      const lines = t.out.trim().split('\n');
      expect(lines[0]).toMatch(/^symbol\s+venue\s+timeframe\s+first\s+last\s+rows$/);
      expect(lines.slice(2).map((l) => l.split(/\s+/))).toEqual([
        ['ADA/BTC', 'binance', '1m', '2021-11-27', '2021-11-27T00:09:00Z', '10'],
        ['BTC-PERP', 'binance', '1m', '2021-12-31T23:01:00Z', '2022-02-01T05:31:00Z', '45031'],
        ['GOOG', 'nasdaq', '1d', '2004-08-19', '2013-03-01', '2148'],
      ]);
      const j = JSON.parse((await tickerml(['data', 'list', '--json', ...flags])).out) as Record<
        string,
        unknown
      >[];
      expect(j.map((r) => [r.instrumentId, r.symbol, r.venue, r.timeframe, r.rows])).toEqual([
        ['binance:ADA/BTC', 'ADA/BTC', 'binance', '1m', 10],
        ['binance:BTC-PERP', 'BTC-PERP', 'binance', '1m', 45031],
        ['nasdaq:GOOG', 'GOOG', 'nasdaq', '1d', 2148],
      ]);
      expect(j[2]).toMatchObject({
        first: '2004-08-19',
        last: '2013-03-01',
        firstTs: Date.UTC(2004, 7, 19) * 1000,
      });
    });

    it('exports CSV and Parquet that import back to identical bars', async () => {
      const csv = join(dir, 'btc.csv');
      const pq = join(dir, 'btc.parquet');
      const range = ['--from', '2022-01-10', '--to', '2022-01-20'];
      const a = await tickerml(['data', 'export', '--symbol', 'BTC-PERP', ...range, '--out', csv, ...flags]);
      expect(a.out).toMatch(/binance:BTC-PERP 1m: 14400 bars written to .*btc\.csv/);
      const text = readFileSync(csv, 'utf8').split('\n');
      expect(text[0]).toBe('timestamp,open,high,low,close,volume');
      expect(text[1]).toMatch(/^2022-01-10T00:00:00Z,/);
      const b = await tickerml(['data', 'export', '--symbol', 'BTC-PERP', ...range, '--out', pq, ...flags]);
      expect(b.code).toBe(0);
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(pq));
      expect(Number(meta.num_rows)).toBe(14400);
      expect(meta.schema[1]).toMatchObject({
        name: 'timestamp',
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      });
      expect(meta.schema.slice(2).map((e) => [e.name, e.type])).toEqual(
        ['open', 'high', 'low', 'close', 'volume'].map((n) => [n, 'DOUBLE']),
      );
      const c = await tickerml(['data', 'import', csv, '--symbol', 'BTC-CSV', '--venue', 'rt', ...flags]);
      expect(c.out).toMatch(/rt:BTC-CSV 1m \(inferred.*\): 14400 bars read .*\(header\), 14400 new/);
      const d = await tickerml(['data', 'import', pq, '--symbol', 'BTC-PQ', '--venue', 'rt', ...flags]);
      expect(d.out).toMatch(/rt:BTC-PQ 1m \(inferred.*\): 14400 bars read .*\(parquet\), 14400 new/);
      const again = await tickerml(['data', 'import', pq, '--symbol', 'BTC-PQ', '--venue', 'rt', ...flags]);
      expect(again.out).toMatch(/0 new, 14400 already stored/);
      const db = await open();
      try {
        const orig = await loadBars(db, {
          instrumentId: 'binance:BTC-PERP',
          timeframe: '1m',
          from: Date.UTC(2022, 0, 10) * 1000,
          to: Date.UTC(2022, 0, 20) * 1000,
        });
        for (const id of ['rt:BTC-CSV', 'rt:BTC-PQ']) {
          const back = await loadBars(db, { instrumentId: id, timeframe: '1m' });
          for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const)
            expect(Array.from(back[k]), `${id} ${k}`).toEqual(Array.from(orig[k]));
        }
      } finally {
        await db.close();
      }
    });

    it('names what is stored when the symbol or timeframe is wrong, and the bad flag', async () => {
      const u = await tickerml(['data', 'export', '--symbol', 'AAPL', '--out', join(dir, 'x.csv'), ...flags]);
      expect(u.code).toBe(2);
      expect(u.err).toMatch(
        /--symbol: no bars stored for AAPL; stored series: binance:ADA\/BTC 1m, .*nasdaq:GOOG 1d/,
      );
      const tf = await tickerml([
        'data',
        'export',
        '--symbol',
        'GOOG',
        '--timeframe',
        '1h',
        '--out',
        join(dir, 'x.csv'),
        ...flags,
      ]);
      expect(tf.err).toMatch(/--timeframe: no 1h bars stored for nasdaq:GOOG; stored timeframes: 1d/);
      const ext = await tickerml([
        'data',
        'export',
        '--symbol',
        'GOOG',
        '--out',
        join(dir, 'x.xlsx'),
        ...flags,
      ]);
      expect(ext.err).toMatch(/--out: must end in \.csv or \.parquet/);
      const bad = join(dir, 'bad.csv');
      writeFileSync(
        bad,
        'timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1,2,x,1.5,10\n',
      );
      const b = await tickerml(['data', 'import', bad, '--timeframe', '1d', ...flags]);
      expect(b.code).toBe(2);
      expect(b.err).toMatch(/bad\.csv:3:4: low 'x' is not a number/);
    });

    it('checks a stored series: exit 1 with counted gaps and outliers, JSON on request', async () => {
      const r = await tickerml(['data', 'check', '--symbol', 'GOOG', '--max-gap-bars', '1', ...flags]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        /^nasdaq:GOOG 1d \(stored\): 2148 bars, 2004-08-19 → 2013-03-01; timeframe 1d; calendar weekdays/,
      );
      // The two market closures of more than one weekday in 2004–2013: President Ford's funeral
      // (2007-01-02, after the New Year holiday) and Hurricane Sandy (2012-10-29/30).
      expect(r.out).toMatch(/!! gap\s+2 .*\(4 bars missing\)/);
      expect(r.out).toContain(
        '2006-12-29T00:00:00Z: timestamp = 2006-12-29T00:00:00Z (2 bar(s) missing before 2007-01-03T00:00:00Z)',
      );
      expect(r.out).toContain(
        '2012-10-26T00:00:00Z: timestamp = 2012-10-26T00:00:00Z (2 bar(s) missing before 2012-10-31T00:00:00Z)',
      );
      expect(r.out).toMatch(/!! outlier\s+1 /);
      expect(r.out).toMatch(/3 problem\(s\) found/);
      const j = await tickerml(['data', 'check', '--symbol', 'GOOG', '--json', ...flags]);
      expect(j.code).toBe(1);
      const rep = JSON.parse(j.out) as {
        checks: { kind: string; count: number; missingBars?: number }[];
        problems: number;
      };
      const gap = rep.checks.find((c) => c.kind === 'gap')!;
      expect(gap.count).toBeGreaterThan(70); // every holiday counts without --max-gap-bars
      expect(rep.problems).toBe(rep.checks.reduce((a, c) => a + c.count, 0));
      const clean = await tickerml(['data', 'check', '--symbol', 'ADA/BTC', ...flags]);
      expect(clean.code).toBe(0);
      expect(clean.out).toMatch(/no problems found/);
    });
  });
}

dataCliSuite('PGlite (embedded store in a temporary directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerml-data-pglite-'));
  return {
    flags: ['--data-dir', dir],
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
if (await requireService('postgres')) {
  // Own schema per run, so parallel runs on one server never see each other's rows.
  const schema = `tickerml_test_cli_${process.pid}_${randomBytes(3).toString('hex')}`;
  dataCliSuite(`PostgreSQL server, schema ${schema}`, () => ({
    flags: ['--database-url', pgUrl, '--schema', schema],
    cleanup: async () => {
      const c = await openPostgresClient({ url: pgUrl, schema });
      try {
        await c.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.close();
      }
    },
  }));
}
