import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from './config.js';
import { JournalStateStore } from './journal-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tickerml-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = process.cwd();

function yaml(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('loadAppConfig', () => {
  it('loads the bundled default: paper mode on a replay, port 8080', () => {
    const c = loadAppConfig({ env: {}, cwd: ROOT });
    expect(c.node.mode).toBe('paper');
    expect(c.feed.kind).toBe('replay');
    expect(c.server.port).toBe(8080);
    expect(c.node.instruments.map((i) => i.id)).toEqual(['GOOG', 'BTC-PERP']);
  });

  it('environment overrides the file; a bad env value names the variable and value', () => {
    expect(
      loadAppConfig({ env: { PORT: '9001', TICKERML_REPLAY_INTERVAL_MS: '20' }, cwd: ROOT }),
    ).toMatchObject({ server: { port: 9001 }, feed: { intervalMs: 20 } });
    expect(() => loadAppConfig({ env: { PORT: 'eighty' }, cwd: ROOT })).toThrow(/env\.PORT.*"eighty"/);
    expect(() => loadAppConfig({ env: { PORT: '70000' }, cwd: ROOT })).toThrow(/server\.port.*70000/);
  });

  it('a bad value in the file names its path and value', () => {
    const f = yaml(
      'bad.yaml',
      'node:\n  account: { cash: -5 }\n  instruments: [{ id: X, file: examples/data/GOOG.csv }]\n',
    );
    expect(() => loadAppConfig({ file: f, env: {}, cwd: ROOT })).toThrow(/node\.account\.cash.*-5/);
    const g = yaml(
      'unknown.yaml',
      'node:\n  instruments: [{ id: X, file: examples/data/GOOG.csv }]\nserver: { prot: 1 }\n',
    );
    expect(() => loadAppConfig({ file: g, env: {}, cwd: ROOT })).toThrow(/server/);
    const h = yaml('nofile.yaml', 'node:\n  instruments: [{ id: X, file: nowhere.csv }]\n');
    expect(() => loadAppConfig({ file: h, env: {}, cwd: ROOT })).toThrow(
      /node\.instruments\.0\.file.*nowhere\.csv/,
    );
    expect(() => loadAppConfig({ file: join(dir, 'missing.yaml'), env: {}, cwd: ROOT })).toThrow(
      /config.*missing\.yaml/,
    );
  });
});

describe('loadAppConfig: live feed', () => {
  it('feed.kind binance with symbols makes one instrument per symbol and a default strategy each', () => {
    const c = loadAppConfig({
      env: {},
      cwd: ROOT,
      overrides: { 'feed.kind': 'binance', 'feed.symbols': ['BTCUSDT', 'ETHBTC'], 'feed.interval': '5m' },
    });
    expect(c.feed).toMatchObject({
      kind: 'binance',
      interval: '5m',
      symbols: ['BTCUSDT', 'ETHBTC'],
      wsUrl: 'wss://stream.binance.com:9443',
      restUrl: 'https://api.binance.com',
    });
    expect(c.node.instruments.map((i) => [i.id, i.base, i.quote, i.symbol])).toEqual([
      ['BTCUSDT', 'BTC', 'USDT', 'BTCUSDT'],
      ['ETHBTC', 'ETH', 'BTC', 'ETHBTC'],
    ]);
    // GOOG's and BTC-PERP's strategies do not apply; each symbol gets an SMA crossover.
    expect(c.node.strategies.map((s) => [s.id, s.instruments])).toEqual([
      ['sma-btcusdt', ['BTCUSDT']],
      ['sma-ethbtc', ['ETHBTC']],
    ]);
  });

  it('environment: TICKERML_FEED=binance TICKERML_FEED_SYMBOLS=btcusdt,ethusdt', () => {
    const c = loadAppConfig({
      env: { TICKERML_FEED: 'binance', TICKERML_FEED_SYMBOLS: 'btcusdt, ethusdt' },
      cwd: ROOT,
    });
    expect(c.node.instruments.map((i) => i.id)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(c.node.account.currency).toBe('USDT');
  });

  it('keeps a configured instrument and its strategy when its symbol is on the feed; names bad values', () => {
    const f = yaml(
      'live.yaml',
      [
        'node:',
        '  instruments: [{ id: BTC, kind: spot, quote: USDT, tickSize: 0.1, lotSize: 0.001, symbol: BTCUSDT }]',
        '  strategies: [{ id: mine, name: sma-cross, instruments: [BTC] }]',
        'feed: { kind: live, interval: 1h }',
      ].join('\n'),
    );
    const c = loadAppConfig({ file: f, env: {}, cwd: ROOT });
    expect(c.node.instruments).toMatchObject([{ id: 'BTC', tickSize: 0.1, symbol: 'BTCUSDT' }]);
    expect(c.node.strategies.map((s) => s.id)).toEqual(['mine']);
    expect(() =>
      loadAppConfig({ file: f, env: {}, cwd: ROOT, overrides: { 'feed.interval': '7m' } }),
    ).toThrow(/feed\.interval.*7m/);
    expect(() =>
      loadAppConfig({ file: f, env: {}, cwd: ROOT, overrides: { 'feed.symbols': ['btc/usdt'] } }),
    ).toThrow(/feed\.symbols\.0/);
    const g = yaml('live-nosym.yaml', 'node:\n  instruments: [{ id: X }]\nfeed: { kind: binance }\n');
    expect(() => loadAppConfig({ file: g, env: {}, cwd: ROOT })).toThrow(/feed\.symbols/);
  });
});

describe('JournalStateStore', () => {
  it('reads back what it wrote and skips a torn last line', async () => {
    const path = join(dir, 'j', 'node.journal');
    const s = new JournalStateStore(path);
    s.append({ type: 'strategy', strategy: { id: 'a', enabled: true, params: { fast: 1 } } });
    s.append({ type: 'strategy', strategy: { id: 'a', enabled: false, params: { fast: 2 } } });
    await s.close();
    appendFileSync(path, '{"type":"fill","fi');
    const t = new JournalStateStore(path);
    const recs = await t.load();
    expect(recs).toHaveLength(2);
    expect(t.tornLines).toBe(1);
    t.append({ type: 'strategy', strategy: { id: 'b', enabled: true, params: {} } });
    expect(await t.load()).toHaveLength(3);
    await t.close();
  });
});
