import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadCollectConfig } from '../data/collector/index.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'tickerml-collect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yaml(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

async function run(...args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(['node', 'tickerml', ...args]), err };
  } finally {
    spy.mockRestore();
  }
}

describe('tickerml collect --config', () => {
  it('loads the bundled example', () => {
    const c = loadCollectConfig('config/collect.yaml');
    expect(c).toMatchObject({
      venue: 'binance-usdm',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      streams: { bookDepth: 1000, trades: true, funding: true },
      sinks: { store: true, jsonl: false, jetstream: 'auto' },
    });
  });

  it('a bad field fails before connecting, naming the field and its value', async () => {
    const bad = yaml('bad-symbol.yaml', 'venue: binance-usdm\nsymbols: [BTCUSDT, "BTC/USDT"]\n');
    const r = await run('collect', '--config', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/symbols\.1: must be a Binance symbol.*"BTC\/USDT"/);

    const depth = yaml(
      'depth.yaml',
      'venue: binance-usdm\nsymbols: [BTCUSDT]\nstreams: { bookDepth: 300 }\n',
    );
    expect((await run('collect', '--config', depth)).err).toMatch(/streams\.bookDepth: .*300/);
    const venue = yaml('venue.yaml', 'venue: kraken\nsymbols: [XBTUSD]\n');
    expect((await run('collect', '--config', venue)).err).toMatch(/venue: .*"kraken"/);
    const typo = yaml('typo.yaml', 'venue: binance-spot\nsymbols: [BTCUSDT]\nsinks: { stroe: true }\n');
    expect((await run('collect', '--config', typo)).err).toMatch(/sinks.*stroe/);
    const spot = yaml('spot.yaml', 'venue: binance-spot\nsymbols: [BTCUSDT]\nstreams: { funding: true }\n');
    expect((await run('collect', '--config', spot)).err).toMatch(
      /streams\.funding: binance-spot has no funding/,
    );
    const none = yaml(
      'none.yaml',
      'venue: binance-spot\nsymbols: [BTCUSDT]\nsinks: { store: false, jetstream: false }\n',
    );
    expect((await run('collect', '--config', none)).err).toMatch(/sinks: turn on at least one sink/);
    expect((await run('collect', '--config', join(dir, 'missing.yaml'))).err).toMatch(
      /config: file does not exist/,
    );
  });
});
