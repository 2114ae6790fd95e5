import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../data/csv-bars.js';
import { BacktestEngine } from '../engine/backtest.js';
import { defaultInstrument } from '../model/index.js';
import { SmaCross } from '../strategies/index.js';
import {
  REPORT_CHARTS,
  parseRunRecord,
  renderReport,
  runRecordFromBacktest,
  runRecordToJson,
} from './index.js';
import { esc, fmtNum } from './svg.js';
import { formatStat } from './tables.js';

const GOOG = 'test/fixtures/backtesting_py/GOOG.csv';

/** SmaCross 10/20 on GOOG with the standard stop loss / take profit, so the run has risk events. */
function googRun() {
  const { series } = readCsvBars(GOOG, { instrumentId: 'GOOG' });
  const engine = new BacktestEngine({ cash: 10_000, commission: 0.002, risk: { maxPositionShare: 1 } });
  engine.addInstrument(defaultInstrument('GOOG'), series).addStrategy(new SmaCross({ fast: 10, slow: 20 }));
  const result = engine.run();
  const meta = {
    strategy: 'sma-cross',
    params: { fast: 10, slow: 20 },
    data: [GOOG],
    config: { cash: 10_000, commission: 0.002 },
  };
  return { result, series, meta };
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('renderReport on the GOOG sma-cross backtest', () => {
  const { result, series, meta } = googRun();
  const html = renderReport({ result, series: [series], ...meta });

  it('has every section and one inline SVG chart per chart', () => {
    for (const id of [...REPORT_CHARTS, 'statistics', 'trades', 'risk-events'])
      expect(html).toContain(`<section id="${id}">`);
    expect(count(html, '<svg ')).toBe(REPORT_CHARTS.length);
    expect(count(html, '</svg>')).toBe(REPORT_CHARTS.length);
    expect(html).toContain('Equity against buy and hold');
    expect(html).toContain(esc('Buy & hold GOOG'));
    expect(html).toMatch(/<text[^>]*>Jan<\/text>/); // heatmap month header
    expect(html).toMatch(/<text[^>]*>2008<\/text>/); // a year on a time axis or heatmap row
  });

  it('is self-contained: no URL, script, stylesheet link or external font', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|<iframe/i);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('shows every statistic with the value the CLI prints', () => {
    const stats = Object.entries(result.stats);
    expect(stats.length).toBeGreaterThan(25);
    for (const [k, v] of stats)
      expect(html).toContain(`<th scope="row">${esc(k)}</th><td>${esc(formatStat(k, v))}</td>`);
    expect(html).toContain('<th scope="row">Return [%]</th><td>294.92</td>');
  });

  it('lists every trade', () => {
    expect(result.trades.length).toBeGreaterThan(20);
    expect(count(html, '<tr class="trade">')).toBe(result.trades.length);
    const run = runRecordFromBacktest(result, [series], meta);
    for (const t of run.trades) {
      expect(html).toContain(`<td>${t.EntryTime.slice(0, 10)}</td>`);
      expect(html).toContain(`>${esc(fmtNum(t.PnL))}</td>`);
    }
  });

  it('lists every risk event and marks it on the equity chart', () => {
    const kinds = new Set(result.riskEvents.map((e) => e.kind));
    expect(kinds).toContain('stop-loss');
    expect(kinds).toContain('take-profit');
    expect(count(html, '<tr class="risk-event">')).toBe(result.riskEvents.length);
    expect(count(html, '<g class="marker">')).toBe(result.riskEvents.length);
    for (const e of result.riskEvents) expect(html).toContain(`<td class="msg">${esc(e.message)}</td>`);
  });

  it('renders the same page from the saved run record as from the result', () => {
    const record = runRecordFromBacktest(result, [series], meta);
    const parsed = parseRunRecord(JSON.parse(runRecordToJson(record)));
    expect(renderReport(parsed)).toBe(html);
    expect(parsed.equity.values).toHaveLength(result.equity.length);
    expect(parsed.benchmark?.closes[0]).toBe(series.close[0]);
    expect(Math.max(...parsed.exposure.gross)).toBeGreaterThan(0.9);
    expect(parsed.exposure.gross[parsed.exposure.gross.length - 1]).toBe(0);
  });
});

describe('parseRunRecord', () => {
  const { result, series, meta } = googRun();
  const good = JSON.parse(runRecordToJson(runRecordFromBacktest(result, [series], meta))) as Record<
    string,
    unknown
  >;

  it('names the path of a bad field', () => {
    expect(() => parseRunRecord({ ...good, trades: [{ Size: 'x' }] }, 'run.json')).toThrow(
      /run\.json: trades\.0\.Size/,
    );
    expect(() => parseRunRecord({ ...good, format: 'other' }, 'run.json')).toThrow(/run\.json: format/);
  });

  it('refuses series of different lengths', () => {
    const exposure = { net: [0], gross: [0] };
    expect(() => parseRunRecord({ ...good, exposure })).toThrow(/exposure\.net has 1 values/);
  });

  it('renders a run with no trades and no risk events', () => {
    const empty = parseRunRecord({ ...good, trades: [], riskEvents: [] });
    const html = renderReport(empty);
    expect(html).toContain('No closed trades.');
    expect(html).toContain('No risk events');
    expect(count(html, '<svg ')).toBe(REPORT_CHARTS.length);
  });
});
