import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TickerError } from '../model/index.js';
import { REPORT_CHARTS, parseRunRecord } from '../report/index.js';
import { runBacktestCommand } from './backtest.js';
import { main } from './main.js';
import { defaultReportPath, runReportCommand } from './report.js';

const GOOG = 'test/fixtures/backtesting_py/GOOG.csv';
const svgCount = (html: string) => html.split('<svg ').length - 1;

function backtest(dir: string, extra: { report?: string; saveRun?: string; json?: string }): string {
  let out = '';
  const code = runBacktestCommand(
    {
      data: [GOOG],
      strategy: 'sma-cross',
      param: ['fast=10', 'slow=20'],
      cash: '10000',
      commission: '0.002',
      fill: 'next-open',
      currency: 'USD',
      lotSize: '1',
      tickSize: '0.01',
      ...extra,
    },
    (s) => (out += s),
  );
  expect(code).toBe(0);
  return out;
}

describe('tickerml backtest --report / --save-run and tickerml report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerml-report-'));

  it('backtest writes the HTML report and the run record', () => {
    const html = join(dir, 'bt.html');
    const run = join(dir, 'run.json');
    const json = join(dir, 'out.json');
    const out = backtest(dir, { report: html, saveRun: run, json });
    expect(out).toContain(`wrote ${run}`);
    expect(out).toContain(`wrote ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(svgCount(page)).toBe(REPORT_CHARTS.length);
    expect(page).not.toMatch(/https?:/i);

    const record = parseRunRecord(JSON.parse(readFileSync(run, 'utf8')), run);
    const plain = JSON.parse(readFileSync(json, 'utf8')) as { stats: unknown; trades: unknown };
    // The run record extends what --json writes.
    expect(record.stats).toEqual(plain.stats);
    expect(record.trades).toEqual(plain.trades);
    expect(record.strategy).toEqual({
      name: 'sma-cross',
      params: expect.objectContaining({ fast: 10, slow: 20 }),
    });
    expect(record.data).toEqual([GOOG]);
    expect(record.config).toMatchObject({ cash: '10000', commission: '0.002', fill: 'next-open' });
    expect(record.equity.ts.length).toBe(record.equity.values.length);
    expect(record.benchmark?.instrumentId).toBe('GOOG');
  });

  it('report renders the saved run to the same page', () => {
    const run = join(dir, 'run.json');
    const out = join(dir, 'again.html');
    let said = '';
    expect(runReportCommand(run, { out }, (s) => (said += s))).toBe(0);
    expect(said).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'bt.html'), 'utf8'));
  });

  it('is registered on the tickerml command and defaults --out to RUN.html', async () => {
    const run = join(dir, 'run.json');
    expect(defaultReportPath(run)).toBe(join(dir, 'run.html'));
    expect(await main(['node', 'tickerml', 'report', run, '--quiet'])).toBe(0);
    expect(existsSync(join(dir, 'run.html'))).toBe(true);
  });

  it('refuses a file that is not a run record, naming the file', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ stats: {}, trades: [] }));
    expect(() => runReportCommand(bad, {})).toThrow(TickerError);
    expect(() => runReportCommand(bad, {})).toThrow(/bad\.json: format/);
    writeFileSync(bad, '{not json');
    expect(() => runReportCommand(bad, {})).toThrow(/bad\.json: not JSON/);
    expect(() => runReportCommand(join(dir, 'missing.json'), {})).toThrow(/missing\.json: cannot read/);
  });
});
