// The dashboard end to end: `tickerml run` as a child process (built CLI, temp data dir, free port) driven by
// Debian's headless Chromium through playwright-core. Screenshots go to test-artifacts/ (gitignored); the
// overview is also written to docs/img/dashboard.png for the README.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const PASSWORD = 'e2e-admin-password-42';
const haveChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';

if (!haveChromium && !inCI)
  console.warn(
    `test/e2e/dashboard.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); under CI=true this fails instead`,
  );

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
const poll = <T>(f: () => Promise<T> | T) => expect.poll(f, { timeout: 20_000, interval: 100 });

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function waitForHealth(base: string, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 45_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`tickerml run exited (${child.exitCode}):\n${output()}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tickerml run did not answer /health within 45 s:\n${output()}`);
}

describe.skipIf(!haveChromium && !inCI)('dashboard in headless Chromium', () => {
  let child: ChildProcess | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let base = '';
  let dataDir = '';
  let log = '';
  const shot = async (name: string, p: Page = page) => {
    await p.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    const cli = join(ROOT, 'dist/src/cli/main.js');
    if (!existsSync(cli) || !existsSync(join(ROOT, 'web/dist/index.html')))
      throw new Error('the CLI or the dashboard is not built: run `npm run build` (npm ci does it)');
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'tickerml-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/tickerml.js'),
        'run',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--data-dir',
        dataDir,
        '--interval-ms',
        '100',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, TICKERML_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    await waitForHealth(base, child, () => log);

    // A new empty profile (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tickerml-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(20_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          child!.kill('SIGKILL');
          r(undefined);
        }, 5000);
        child!.once('exit', () => {
          clearTimeout(t);
          r(undefined);
        });
      });
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in and shows the REPLAY badge (not LIVE)', async () => {
    await page.goto(base);
    await page.getByLabel('Password').fill(PASSWORD);
    await shot('01-login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await poll(() => page.getByTestId('replay-badge').isVisible()).toBe(true);
    expect(await page.getByTestId('replay-badge').innerText()).toBe('REPLAY');
    expect(await page.getByTestId('live-badge').count()).toBe(0);
    await poll(() => page.locator('header').innerText()).toContain('admin · admin');
  });

  it('a wrong password is refused with a message', async () => {
    const other = await browser!.newPage();
    await other.goto(base);
    await other.getByLabel('Password').fill('not-the-password');
    await other.getByRole('button', { name: 'Log in' }).click();
    await poll(() => other.getByRole('alert').innerText()).toContain('wrong user name or password');
    await other.close();
  });

  it('watches the equity update during replay', async () => {
    const equity = page.getByTestId('equity');
    await poll(() => equity.innerText()).toMatch(/\d/);
    const first = await equity.innerText();
    // The strategies warm up (30 bars at 100 ms), trade, and their positions are marked every bar.
    await expect.poll(() => equity.innerText(), { timeout: 45_000, interval: 250 }).not.toBe(first);
    await page.locator('.chart canvas').first().waitFor();
    await page.waitForTimeout(1500);
    await shot('02-overview');
  });

  it('shows the price chart with our fills, and "no book for this feed"', async () => {
    await page.goto(`${base}/#/chart`);
    await page.locator('.chart canvas').first().waitFor();
    await page.getByLabel('instrument').selectOption('BTC-PERP');
    await page.waitForTimeout(2000);
    await shot('03-chart');
    await page.goto(`${base}/#/book`);
    await poll(() => page.getByTestId('no-book').innerText()).toContain('No book for this feed');
    await shot('04-book');
  });

  it('places a limit order and cancels it', async () => {
    await page.goto(`${base}/#/orders`);
    const form = page.getByRole('form', { name: 'new order' });
    await form.getByLabel('instrument').selectOption('GOOG');
    // Inside the risk price band (20 %) but far enough below the market to rest.
    const { accessToken } = (await (
      await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      })
    ).json()) as { accessToken: string };
    const instruments = (await (
      await fetch(`${base}/api/v1/market/instruments`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).json()) as { id: string; lastPrice: number }[];
    const last = instruments.find((i) => i.id === 'GOOG')!.lastPrice;
    await form.getByLabel('side').selectOption('buy');
    await form.getByLabel('type').selectOption('limit');
    await form.getByLabel('quantity').fill('2');
    await form.getByLabel('price').fill((Math.round(last * 0.88 * 100) / 100).toFixed(2));
    await form.getByRole('button', { name: 'Place buy' }).click();
    const result = page.getByTestId('order-result');
    await poll(() => result.innerText()).toMatch(/^O-\d+: accepted/);
    const id = (await result.innerText()).split(':')[0]!;
    const row = page.locator(`tr[data-order-id="${id}"]`);
    await row.waitFor();
    await shot('05-order-placed');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.waitFor({ state: 'detached' }); // gone from the open orders
    await page.getByLabel('status').selectOption('closed');
    await poll(() => page.locator(`tr[data-order-id="${id}"]`).innerText()).toContain('canceled');
    await shot('06-order-canceled');
  });

  it('stops and starts a strategy', async () => {
    await page.goto(`${base}/#/strategies`);
    const card = page.locator('[data-strategy="sma-goog"]');
    const state = card.getByTestId('strategy-state');
    await poll(() => state.innerText()).toMatch(/running/i);
    await card.getByRole('button', { name: 'Stop' }).click();
    await poll(() => state.innerText()).toMatch(/stopped/i);
    await shot('07-strategy-stopped');
    await card.getByRole('button', { name: 'Start' }).click();
    await poll(() => state.innerText()).toMatch(/running/i);
  });

  it('runs a backtest and opens its results', async () => {
    await page.goto(`${base}/#/backtests`);
    const form = page.getByRole('form', { name: 'new backtest' });
    await form.getByLabel('instrument').selectOption('GOOG');
    await form.getByLabel('parameters').fill('{"fast": 10, "slow": 30}');
    await form.getByRole('button', { name: 'Run backtest' }).click();
    const results = page.getByTestId('backtest-results');
    await results.waitFor({ timeout: 60_000 });
    await poll(() => results.innerText()).toMatch(/Results of bt-\d+/);
    await poll(() => results.innerText()).toMatch(/Trades \(\d+\)/);
    await page.locator('[data-testid="backtest-results"] .chart canvas').first().waitFor();
    await page.waitForTimeout(500);
    await shot('08-backtest-results');
  });

  it('opens the report of the finished backtest in a new tab (fetched with the token, shown from a blob: URL)', async () => {
    await page.goto(`${base}/#/backtests`);
    const row = page.locator('tr[data-backtest]').first();
    await poll(() => row.getByTestId('backtest-status').innerText()).toBe('done');
    const id = await row.getAttribute('data-backtest');
    const [report] = await Promise.all([
      page.context().waitForEvent('page'),
      row.getByRole('button', { name: 'Open report' }).click(),
    ]);
    await poll(() => report.url()).toMatch(/^blob:/);
    await report.waitForLoadState('load');
    const h1 = report.locator('header h1');
    await poll(() => h1.isVisible()).toBe(true);
    expect(await h1.innerText()).toBe('Backtest report: sma-cross (fast=10, slow=30) on GOOG.csv');
    await poll(() => report.locator('section#equity svg').first().isVisible()).toBe(true);
    await poll(() => report.locator('section#trades').innerText()).toMatch(/Trades \(\d+\)/);
    await report.screenshot({ path: join(ARTIFACTS, '08b-backtest-report.png') });
    await report.close();
    expect(id).toMatch(/^bt-\d+$/);
  });

  it('shows positions, fills and risk, and the overview after a while of trading (README picture)', async () => {
    await page.goto(`${base}/#/positions`);
    await page.locator('table tbody tr').first().waitFor();
    await shot('10-positions');
    await page.goto(`${base}/#/fills`);
    await page.locator('table tbody tr').first().waitFor();
    await shot('11-fills');
    await page.goto(`${base}/#/risk`);
    await poll(() => page.getByTestId('account-state').innerText()).toMatch(/\w/);
    await shot('12-risk');
    await page.goto(`${base}/#/overview`);
    await page.locator('.chart canvas').first().waitFor();
    await page.waitForTimeout(2500);
    await shot('13-overview-later');
    // The README's picture: written when missing or asked for, so test runs leave the work tree clean.
    const readmeImg = join(ROOT, 'docs/img/dashboard.png');
    if (!existsSync(readmeImg) || process.env.UPDATE_README_SCREENSHOT === '1')
      await page.screenshot({ path: readmeImg });
  });

  it('a viewer sees the data but no trading controls', async () => {
    const login = async (username: string, password: string) =>
      (await (
        await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        })
      ).json()) as { accessToken: string };
    const { accessToken } = await login('admin', PASSWORD);
    const created = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ username: 'watcher', password: 'watcher-password-1', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const v = await browser!.newPage();
    await v.goto(base);
    await v.getByLabel('User').fill('watcher');
    await v.getByLabel('Password').fill('watcher-password-1');
    await v.getByRole('button', { name: 'Log in' }).click();
    await poll(() => v.locator('header').innerText()).toContain('watcher · viewer');
    await v.goto(`${base}/#/orders`);
    await v.locator('table').waitFor();
    expect(await v.getByRole('form', { name: 'new order' }).count()).toBe(0);
    expect(await v.getByRole('button', { name: 'Cancel all' }).count()).toBe(0);
    await v.goto(`${base}/#/strategies`);
    await v.locator('[data-strategy="sma-goog"]').waitFor();
    expect(await v.getByRole('button', { name: /^(Start|Stop)$/ }).count()).toBe(0);
    await v.close();
  });

  it('trips the kill switch and an admin resets it', async () => {
    await page.goto(`${base}/#/risk`);
    page.once('dialog', (d) => void d.accept());
    await page.getByLabel('reason').fill('e2e drill');
    await page.getByRole('button', { name: 'Kill switch' }).click();
    await poll(() => page.locator('main').innerText()).toMatch(/kill switch tripped/i);
    await shot('14-kill-switch');
    await page.getByRole('button', { name: 'Reset kill switch' }).click();
    await poll(() => page.locator('main').innerText()).toMatch(/kill switch armed/i);
  });

  it('is usable on a phone-sized screen', async () => {
    const phone = await browser!.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(base);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Log in' }).click();
    await phone.getByTestId('equity').waitFor();
    // No page-wide horizontal scrolling: wide tables scroll inside their own box.
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.waitForTimeout(1000);
    await shot('09-phone-overview', phone);
    await phone.close();
  });
});
