import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Instrument,
  Order,
  TickerError,
  clientOrderId,
  instrumentId,
  orderId,
  strategyId,
} from '../../model/index.js';
import { readCsvBars } from '../../data/csv-bars.js';
import { BacktestEngine } from '../../engine/backtest.js';
import { defaultInstrument } from '../../model/index.js';
import { type RiskView, createRiskEngine, parseRiskConfig } from '../../risk/index.js';
import { SmaCross } from '../../strategies/sma-cross.js';
import { loadAppConfig } from './config.js';
import { loadRiskLimits } from './risk-limits.js';

const dir = mkdtempSync(join(tmpdir(), 'tickerml-risk-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = process.cwd();

function yaml(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TickerError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const A = new Instrument({ id: 'A', kind: 'equity', base: 'A', quote: 'USD', tickSize: 0.01, lotSize: 1 });
const view: RiskView = {
  instrument: () => A,
  position: () => undefined,
  equity: () => 10_000,
  lastPrice: () => 100,
  openOrderCount: () => 0,
  positions: () => [],
};
let n = 0;
const buy = (sid: string, quantity: number) => {
  const id = orderId(`RL-${++n}`);
  return new Order({
    id,
    clientOrderId: clientOrderId(id),
    instrumentId: instrumentId('A'),
    strategyId: strategyId(sid),
    side: 'buy',
    type: 'market',
    quantity,
    ts: 0,
  });
};

describe('risk limits file (config/risk_limits.yaml)', () => {
  it('the bundled file holds exactly the defaults of RiskConfig', () => {
    expect(loadRiskLimits(join(ROOT, 'config/risk_limits.yaml'))).toEqual(parseRiskConfig({}));
  });

  it('a strategy override applies to that strategy’s orders only', () => {
    const f = yaml(
      'override.yaml',
      'maxPositionShare: 0.3\nstrategies:\n  sma-cross:\n    maxPositionShare: 0.1\n    minOrderNotional: 500\n',
    );
    const cfg = loadRiskLimits(f);
    expect(cfg.maxPositionShare).toBe(0.3);
    expect(cfg.strategies['sma-cross']).toEqual({ maxPositionShare: 0.1, minOrderNotional: 500 });
    const risk = createRiskEngine(cfg);
    // 20 × 100 = 2,000 = 20% of equity: inside the account's 30%, beyond sma-cross's 10%.
    expect(risk.check(buy('other', 20), view)).toBeNull();
    const d = risk.check(buy('sma-cross', 20), view)!;
    expect(d).toMatchObject({ rule: 'max-position', limit: 0.1, actual: 0.2 });
    // 4 × 100 = 400 is below sma-cross's minimum notional of 500 only.
    expect(risk.check(buy('other', 4), view)).toBeNull();
    expect(risk.check(buy('sma-cross', 4), view)).toMatchObject({ rule: 'min-order-notional', limit: 500 });
    expect(risk.check(buy('sma-cross', 10), view)).toBeNull();
    // Account-wide rules still apply to the overridden strategy.
    expect(risk.ruleNames('sma-cross')).toEqual(risk.ruleNames());
  });

  it('a bad value names the file, the YAML path and the value', () => {
    const f = yaml('bad.yaml', 'strategies:\n  sma-cross:\n    maxPositionShare: 2\n');
    const msg = errorOf(() => loadRiskLimits(f));
    expect(msg).toMatch(new RegExp(`^${f}: strategies\\.sma-cross\\.maxPositionShare: .*\\(got 2\\)$`));
    const g = yaml('bad2.yaml', 'maxDrawdown: -0.1\n');
    expect(errorOf(() => loadRiskLimits(g))).toMatch(/bad2\.yaml: maxDrawdown: .*\(got -0\.1\)/);
    const h = yaml('bad3.yaml', 'correlation:\n  window: ten\n');
    expect(errorOf(() => loadRiskLimits(h))).toMatch(/bad3\.yaml: correlation\.window: .*\(got "ten"\)/);
  });

  it('account-wide fields are refused under a strategy; unknown keys and bad YAML are named', () => {
    const f = yaml('acct.yaml', 'strategies:\n  s1:\n    maxDrawdown: 0.1\n');
    expect(errorOf(() => loadRiskLimits(f))).toMatch(
      /acct\.yaml: strategies\.s1\.maxDrawdown: not a per-strategy limit .*\(got 0\.1\)$/,
    );
    const g = yaml('typo.yaml', 'maxPositionPct: 0.2\n');
    expect(errorOf(() => loadRiskLimits(g))).toMatch(
      /typo\.yaml: maxPositionPct: unknown field \(allowed: maxPositionShare, .*\(got 0\.2\)$/,
    );
    const h = yaml('syntax.yaml', 'maxPositionShare: [0.2\n');
    expect(errorOf(() => loadRiskLimits(h))).toContain('syntax.yaml: ');
    const i = yaml('list.yaml', '- 1\n- 2\n');
    expect(errorOf(() => loadRiskLimits(i))).toContain('must be a YAML mapping');
    expect(errorOf(() => loadRiskLimits(join(dir, 'none.yaml')))).toContain('file does not exist');
    const v = yaml(
      'vol.yaml',
      'volatilityScaling: { targetVolatility: 0.2, window: 5, minObservations: 9 }\n',
    );
    expect(errorOf(() => loadRiskLimits(v))).toMatch(/volatilityScaling\.minObservations: .*window/);
  });

  it('the trading node: riskLimits in its config, --risk-config on top, node.risk inline over the file', () => {
    const bundled = loadAppConfig({ env: {}, cwd: ROOT });
    expect(bundled.riskLimits).toBe('config/risk_limits.yaml');
    expect(bundled.node.risk).toEqual(parseRiskConfig({}));

    const f = yaml(
      'node-risk.yaml',
      'maxPositionShare: 0.2\nstrategies:\n  sma-btc: { maxPositionShare: 0.1 }\n',
    );
    const c = loadAppConfig({ env: {}, cwd: ROOT, overrides: { riskLimits: f } });
    expect(c.node.risk).toMatchObject({
      maxPositionShare: 0.2,
      strategies: { 'sma-btc': { maxPositionShare: 0.1 } },
    });
    expect(loadAppConfig({ env: { TICKERML_RISK_CONFIG: f }, cwd: ROOT }).node.risk).toMatchObject({
      maxPositionShare: 0.2,
    });

    const app = yaml(
      'app.yaml',
      `node:\n  instruments: [{ id: GOOG, file: examples/data/GOOG.csv }]\n  strategies: [{ id: sma-btc, name: sma-cross }]\n  risk: { maxDrawdown: 0.1, strategies: { sma-btc: { priceBand: 0.05 } } }\nriskLimits: ${f}\n`,
    );
    const merged = loadAppConfig({ file: app, env: {}, cwd: ROOT }).node.risk;
    expect(merged).toMatchObject({
      maxPositionShare: 0.2,
      maxDrawdown: 0.1,
      strategies: { 'sma-btc': { maxPositionShare: 0.1, priceBand: 0.05 } },
    });

    const typo = yaml('typo-id.yaml', 'strategies:\n  sma-bt: { maxPositionShare: 0.1 }\n');
    expect(errorOf(() => loadAppConfig({ env: {}, cwd: ROOT, overrides: { riskLimits: typo } }))).toMatch(
      /strategies\.sma-bt: no strategy with this id in node\.strategies \(sma-goog, sma-btc\)/,
    );
  });

  it('backtests take the file as the engine’s risk option', () => {
    const { series } = readCsvBars('test/fixtures/backtesting_py/GOOG.csv');
    const run = (risk: Parameters<typeof createRiskEngine>[0]) => {
      const e = new BacktestEngine({ cash: 10_000, risk });
      e.addInstrument(defaultInstrument('GOOG', { tickSize: 0.01, lotSize: 1 }), series);
      e.addStrategy(new SmaCross({ fast: 10, slow: 20, fraction: 0.2 }));
      return e.run();
    };
    const bundled = run(loadRiskLimits(join(ROOT, 'config/risk_limits.yaml')));
    expect(Array.from(bundled.equity)).toEqual(Array.from(run({}).equity));
    // sma-cross's entries are 20% of equity: an override of 10% for that id denies them all.
    const f = yaml('bt.yaml', 'strategies:\n  sma-cross: { maxPositionShare: 0.1 }\n');
    const capped = run(loadRiskLimits(f));
    expect(capped.orders.some((o) => o.strategyId === 'sma-cross' && o.status === 'filled')).toBe(false);
    expect(bundled.orders.some((o) => o.strategyId === 'sma-cross' && o.status === 'filled')).toBe(true);
  });
});
