// The backtest report opened in Debian's headless Chromium (driven by playwright-core): every chart lays
// out with a size, nothing is fetched, and the screenshot is a real picture. Screenshots go to
// test-artifacts/ (gitignored); with TICKERML_UPDATE_SCREENSHOTS=1 the top of the page is also written to
// docs/img/report.png, the picture in README.md and docs/REPORTS.md.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvBars } from '../../src/data/csv-bars.js';
import { BacktestEngine } from '../../src/engine/backtest.js';
import { defaultInstrument } from '../../src/model/index.js';
import { REPORT_CHARTS, renderReport } from '../../src/report/index.js';
import { SmaCross } from '../../src/strategies/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const haveChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';

if (!haveChromium && !inCI)
  console.warn(
    `test/e2e/report-screenshot.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); under CI=true this fails instead`,
  );

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian), after checking the signature. */
function pngSize(buf: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(signature) || buf.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('not a PNG file');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** The GOOG SmaCross 10/20 backtest with the standard stop loss and take profit, as an HTML report. */
function writeReport(dir: string): string {
  const file = 'test/fixtures/backtesting_py/GOOG.csv';
  const { series } = readCsvBars(join(ROOT, file), { instrumentId: 'GOOG' });
  const engine = new BacktestEngine({ cash: 10_000, commission: 0.002, risk: { maxPositionShare: 1 } });
  engine.addInstrument(defaultInstrument('GOOG'), series).addStrategy(new SmaCross({ fast: 10, slow: 20 }));
  const html = renderReport({
    result: engine.run(),
    series: [series],
    strategy: 'sma-cross',
    params: { fast: 10, slow: 20 },
    data: ['GOOG.csv'],
    config: { cash: 10_000, commission: 0.002, risk: 'standard (position limit 100%)' },
  });
  const path = join(dir, 'report.html');
  writeFileSync(path, html);
  return path;
}

describe.runIf(inCI && !haveChromium)('report screenshot under CI', () => {
  it('needs Chromium', () => {
    throw new Error(
      `no Chromium at ${CHROMIUM}: under CI=true the report screenshot must run (apt-get install -y chromium)`,
    );
  });
});

describe.runIf(haveChromium)('backtest report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerml-report-e2e-'));
  let browser: BrowserContext | undefined;

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every chart, fetches nothing, and screenshots to a real PNG', async () => {
    const report = writeReport(dir);
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 1900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });

    // Only the file itself is loaded: no scripts, fonts, images or styles from anywhere.
    expect(requests).toEqual([pathToFileURL(report).href]);
    expect(errors).toEqual([]);
    const boxes = await page.$$eval('svg.chart', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { w: r.width, h: r.height };
      }),
    );
    expect(boxes).toHaveLength(REPORT_CHARTS.length);
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(900);
      expect(b.h).toBeGreaterThan(250);
    }
    expect(await page.locator('tr.trade').count()).toBeGreaterThan(20);
    expect(await page.locator('tr.risk-event').count()).toBeGreaterThan(10);

    mkdirSync(ARTIFACTS, { recursive: true });
    const full = join(ARTIFACTS, 'report-full.png');
    const top = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: full, fullPage: true });
    await page.screenshot({ path: top });
    const fullSize = pngSize(readFileSync(full));
    expect(fullSize.width).toBe(1280);
    expect(fullSize.height).toBeGreaterThan(3000);
    expect(pngSize(readFileSync(top))).toEqual({ width: 1280, height: 1900 });
    // A blank or broken page compresses to a few kB; charts, tables and text do not.
    expect(statSync(top).size).toBeGreaterThan(80_000);
    expect(statSync(full).size).toBeGreaterThan(150_000);
    if (process.env.TICKERML_UPDATE_SCREENSHOTS === '1') copyFileSync(top, join(ROOT, 'docs/img/report.png'));
  }, 120_000);
});
