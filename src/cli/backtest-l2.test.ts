import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BacktestL2CliOptions, runBacktestL2Command } from './backtest-l2.js';

const usdm = new URL(
  '../../test/fixtures/binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz',
  import.meta.url,
).pathname;

const opts = (o: Partial<BacktestL2CliOptions> = {}): BacktestL2CliOptions => ({
  l2: [usdm],
  format: 'binance',
  strategy: 'market-maker',
  param: ['size=0.001', 'maxPosition=0.005', 'halfSpreadTicks=0'],
  instrument: 'BTCUSDT.BINANCE',
  kind: 'perpetual',
  tickSize: '0.1',
  lotSize: '0.001',
  makerFee: '0.0002',
  takerFee: '0.0005',
  cash: '100000',
  latencyMs: '5',
  queue: 'risk-averse',
  replayBy: 'exchange',
  onGap: 'resync',
  toxicBps: '1',
  seed: '1',
  ...o,
});

describe('tickerml backtest-l2', () => {
  it('replays the Binance capture with the market maker and reports fills, fees, queue, markouts and the replay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2cli-'));
    const json = join(dir, 'out.json');
    let text = '';
    expect(runBacktestL2Command(opts({ json }), (s) => (text += s))).toBe(0);
    expect(text).toMatch(/# Trades\s+\d+/);
    expect(text).toMatch(/fills \d+ \(maker \d+, taker 0\), fees [\d.]+ USDT, funding 0\.0000 USDT/);
    expect(text).toMatch(/market-maker\s+10s/);
    expect(text).toMatch(/skipped before_snapshot: 4/);
    const j = JSON.parse(readFileSync(json, 'utf8')) as {
      fills: number;
      maker: number;
      fees: number;
      markouts: { horizonsUs: number[]; strategies: { strategyId: string; fills: number }[] };
      replay: { events: Record<string, number> };
    };
    expect(j.fills).toBeGreaterThan(0);
    expect(j.maker).toBe(j.fills);
    expect(j.fees).toBeGreaterThan(0);
    expect(j.markouts.horizonsUs).toEqual([1e6, 1e7, 6e7]);
    expect(j.markouts.strategies[0]).toMatchObject({ strategyId: 'market-maker', fills: j.fills });
    expect(j.replay.events.update).toBe(1594);
  });

  it('builds the L2 strategies from L2_STRATEGIES: book-imbalance runs, bad params name the field', () => {
    let text = '';
    const o = opts({ strategy: 'book-imbalance', param: ['size=0.001', 'entry=0.3', 'maxSpreadTicks=5'] });
    expect(runBacktestL2Command(o, (s) => (text += s))).toBe(0);
    expect(text).toMatch(/fills \d+ \(maker 0, taker \d+\)/);
    expect(() =>
      runBacktestL2Command(opts({ strategy: 'book-imbalance', param: ['entry=2'] }), () => {}),
    ).toThrow(/strategy book-imbalance: param entry/);
  });

  it('refuses bad flags naming the flag and value', () => {
    expect(() => runBacktestL2Command(opts({ latencyMs: 'soon' }), () => {})).toThrow(/--latency-ms.*"soon"/);
    expect(() => runBacktestL2Command(opts({ queue: 'fifo' as never }), () => {})).toThrow(/--queue.*"fifo"/);
    expect(() => runBacktestL2Command(opts({ format: 'csv' as never }), () => {})).toThrow(/--format.*"csv"/);
  });
});
