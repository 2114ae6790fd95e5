import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../data/csv-bars.js';
import {
  type BacktestSpec,
  ParamSpace,
  cpcv,
  interval,
  localRunner,
  monteCarlo,
  optimize,
  walkForward,
} from '../research/index.js';
import { runCpcvCommand } from './cpcv.js';
import { buildProgram, main } from './main.js';
import { runMonteCarloCommand } from './montecarlo.js';
import { bootstrapFan } from './montecarlo-paths.js';
import { runOptimizeCommand } from './optimize.js';
import { parseRanges } from './research-args.js';
import { runWalkForwardCommand } from './walkforward.js';

const GOOG = 'test/fixtures/backtesting_py/GOOG.csv';
const bars = readCsvBars(GOOG).series;
const spec: BacktestSpec = {
  strategy: 'sma-cross',
  config: { cash: 10_000, commission: 0.002, fill: 'next-open' },
};
const common = {
  data: GOOG,
  strategy: 'sma-cross',
  param: [] as string[],
  cash: '10000',
  commission: '0.002',
  fill: 'next-open' as const,
  lotSize: '1',
  quarantineDays: '30',
  quiet: true,
};
const search = {
  ...common,
  range: ['fast=5:15:5', 'slow=20:40:10'],
  method: 'grid' as const,
  seed: '1',
  objective: 'sharpe,return,drawdown',
  workers: '1',
};
const space = new ParamSpace({
  strategy: 'sma-cross',
  dimensions: {
    fast: { kind: 'int', min: 5, max: 15, step: 5 },
    slow: { kind: 'int', min: 20, max: 40, step: 10 },
  },
});
const tmp = () => mkdtempSync(join(tmpdir(), 'tickerml-research-'));
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
const svgCount = (html: string) => (html.match(/<svg[\s>]/g) ?? []).length;

/** Runs main() with stdout and stderr captured. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  try {
    return { code: await main(['node', 'tickerml', ...args]), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
    process.exitCode = before;
  }
}

describe('tickerml optimize', () => {
  it('prints the ranked table, and its JSON and report match optimize() called directly', async () => {
    const dir = tmp();
    let out = '';
    const code = await runOptimizeCommand(
      { ...search, top: '3', json: join(dir, 'o.json'), report: join(dir, 'o.html') },
      (s) => (out += s),
    );
    expect(code).toBe(0);
    const direct = await optimize({
      bars,
      spec,
      space,
      method: { kind: 'grid' },
      runner: localRunner(bars, spec),
    });
    expect(out).toMatch(/params\s+sharpe\s+return\s+max drawdown\s+trades\s+front/);
    expect(out).toMatch(/fast=10 slow=20\s+1\.05\s+491\.40%\s+20\.02%\s+47\s+\*/);
    expect(out).toContain('best (sharpe): fast=10 slow=20');
    const j = readJson(join(dir, 'o.json'));
    expect(Object.keys(j)).toEqual(
      expect.arrayContaining([
        'method',
        'trials',
        'front',
        'best',
        'objectives',
        'evaluations',
        'window',
        'quarantine',
      ]),
    );
    expect(j.best).toEqual(JSON.parse(JSON.stringify(direct.best)));
    expect(j.trials).toEqual(JSON.parse(JSON.stringify(direct.trials)));
    expect(j.window).toEqual(direct.window);
    expect((j.quarantine as { usableEnd: number }).usableEnd).toBe(direct.quarantine.usableEnd);
    const html = readFileSync(join(dir, 'o.html'), 'utf8');
    expect(svgCount(html)).toBe(2);
    expect(html).toContain('Pareto front');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('gives the same result on 2 worker threads as in this thread', async () => {
    const dir = tmp();
    await runOptimizeCommand({ ...search, top: '3', json: join(dir, '1.json') }, () => {});
    await runOptimizeCommand({ ...search, workers: '2', top: '3', json: join(dir, '2.json') }, () => {});
    expect(readFileSync(join(dir, '2.json'), 'utf8')).toBe(readFileSync(join(dir, '1.json'), 'utf8'));
  }, 20_000);

  it('refuses a window that reaches into the quarantine: message on stderr, non-zero exit', async () => {
    const r = await cli([
      'optimize',
      '--data',
      GOOG,
      '--strategy',
      'sma-cross',
      '--range',
      'fast=5:10:5',
      '--range',
      'slow=20:30:10',
      '--to',
      '2013-02-20',
      '--workers',
      '1',
      '--quiet',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/optimize window uses bars up to 2013-02-20 .* the last 30 days are quarantined/);
    const z = await cli([
      'optimize',
      '--data',
      GOOG,
      '--strategy',
      'sma-cross',
      '--range',
      'fast=5:10:5',
      '--range',
      'slow=20:30:10',
      '--quarantine-days',
      '0',
      '--quiet',
    ]);
    expect(z.code).not.toBe(0);
    expect(z.err).toMatch(/quarantineDays: 0 would tune on the most recent data/);
  });

  it('names the flag and the value on bad input', async () => {
    const bad = async (args: string[], re: RegExp) => {
      const r = await cli([
        'optimize',
        '--data',
        GOOG,
        '--strategy',
        'sma-cross',
        '--quiet',
        '--workers',
        '1',
        ...args,
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
    };
    await bad(['--range', 'fast=5:x:5'], /--range: 'x' is not a number \(got "fast=5:x:5"\)/);
    await bad(['--range', 'fast'], /--range: must look like name=min:max:step/);
    await bad(
      ['--range', 'fast=5:10:5', '--objective', 'profit'],
      /--objective: must be one of sharpe, return, drawdown, trades \(got "profit"\)/,
    );
    await bad(['--range', 'fast=5:10:5', '--samples', '5'], /--samples: applies to --method random only/);
    await bad(['--range', 'nope=1:3:1'], /dimensions\.nope: is not a parameter of sma-cross/);
    expect(() => parseRanges([])).toThrow(/--range: give at least one searched parameter/);
  });

  it('has --help with an example', async () => {
    let help = '';
    for (const c of ['optimize', 'walkforward', 'cpcv', 'montecarlo']) {
      const cmd = (await buildProgram()).commands.find((x) => x.name() === c)!;
      cmd.configureOutput({ writeOut: (s) => (help += s) });
      cmd.outputHelp();
    }
    expect(help.match(/Example/g)?.length).toBe(4);
    expect(help).toContain('tickerml optimize --data GOOG.csv');
    expect(help).toContain('--quarantine-days');
    expect(help).toContain('--in-sample <bars>');
    expect(help).toContain('--test-groups <n>');
    expect(help).toContain('--paths <n>');
  });
});

describe('tickerml walkforward', () => {
  it('prints one row per window and its JSON matches walkForward() called directly', async () => {
    const dir = tmp();
    let out = '';
    const o = {
      ...search,
      inSample: '600',
      outOfSample: '400',
      json: join(dir, 'w.json'),
      report: join(dir, 'w.html'),
    };
    expect(await runWalkForwardCommand(o, (s) => (out += s))).toBe(0);
    const direct = await walkForward({
      bars,
      spec,
      space,
      method: { kind: 'grid' },
      inSampleBars: 600,
      outOfSampleBars: 400,
    });
    expect(out.split('\n').filter((l) => /^\d\s/.test(l))).toHaveLength(direct.windows.length);
    expect(out).toMatch(/mean sharpe in-sample \d\.\d\d → out-of-sample -?\d\.\d\d/);
    const j = readJson(join(dir, 'w.json')) as unknown as {
      windows: { params: object; outOfSampleMetrics: { sharpe: number } }[];
      stitched: { equity: number[] };
      degradation: { efficiency: number };
      mode: string;
    };
    expect(j.mode).toBe('rolling');
    expect(j.windows.map((w) => w.params)).toEqual(direct.windows.map((w) => w.params));
    expect(j.windows[0]!.outOfSampleMetrics.sharpe).toBeCloseTo(
      direct.windows[0]!.outOfSampleMetrics.sharpe,
      12,
    );
    expect(j.stitched.equity).toHaveLength(direct.stitched.equity.length);
    expect(j.stitched.equity.at(-1)).toBeCloseTo(direct.stitched.equity.at(-1)!, 6);
    expect(j.degradation.efficiency).toBeCloseTo(direct.degradation.efficiency, 12);
    expect(svgCount(readFileSync(join(dir, 'w.html'), 'utf8'))).toBe(2);
  });

  it('refuses windows that do not fit before the quarantine, naming the lengths', async () => {
    const r = await cli([
      'walkforward',
      '--data',
      GOOG,
      '--strategy',
      'sma-cross',
      '--range',
      'fast=5:10:5',
      '--range',
      'slow=20:30:10',
      '--in-sample',
      '2000',
      '--out-of-sample',
      '500',
      '--workers',
      '1',
      '--quiet',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no walk-forward window fits: 2000 \+ 500 bars needed/);
  });
});

describe('tickerml cpcv', () => {
  it('prints the path table, and its JSON matches cpcv() called directly', () => {
    const dir = tmp();
    let out = '';
    const o = {
      ...search,
      groups: '4',
      testGroups: '2',
      json: join(dir, 'c.json'),
      report: join(dir, 'c.html'),
    };
    expect(runCpcvCommand(o, (s) => (out += s))).toBe(0);
    const direct = cpcv({ bars, spec, space, groups: 4, testGroups: 2 });
    expect(out).toMatch(/path\s+sharpe\s+return/);
    expect(out).toContain(`PBO ${direct.pbo.pbo.toFixed(2)}`);
    const j = readJson(join(dir, 'c.json')) as unknown as typeof direct;
    expect(j.splits).toBe(6);
    expect(j.paths).toHaveLength(direct.paths.length);
    j.paths.forEach((p, i) => expect(p.sharpe).toBeCloseTo(direct.paths[i]!.sharpe, 12));
    expect(j.selected.params).toEqual(direct.selected.params);
    expect(j.selected.deflated.dsr).toBeCloseTo(direct.selected.deflated.dsr, 12);
    expect(svgCount(readFileSync(join(dir, 'c.html'), 'utf8'))).toBe(2);
  });
});

describe('tickerml montecarlo', () => {
  it('prints the intervals, its JSON matches monteCarlo(), and the report fan is the same bootstrap', () => {
    const dir = tmp();
    let out = '';
    const o = {
      ...common,
      param: ['fast=10', 'slow=20'],
      paths: '200',
      seed: '7',
      level: '0.9',
      json: join(dir, 'm.json'),
      report: join(dir, 'm.html'),
    };
    expect(runMonteCarloCommand(o, (s) => (out += s))).toBe(0);
    const direct = monteCarlo({ bars, spec, params: { fast: 10, slow: 20 }, seed: 7, paths: 200 });
    expect(out).toMatch(/statistic\s+p5\s+median\s+p95/);
    expect(out).toMatch(/sharpe \(block bootstrap\)\s+-?\d\.\d\d/);
    const j = readJson(join(dir, 'm.json')) as unknown as typeof direct;
    expect(j.trades).toBe(direct.trades);
    expect(j.returns).toEqual(JSON.parse(JSON.stringify(direct.returns)));
    expect(j.shuffled).toEqual(JSON.parse(JSON.stringify(direct.shuffled)));
    const fan = bootstrapFan(bars, spec, { fast: 10, slow: 20 }, { paths: 200, seed: 7 });
    const ci = interval(fan.finalReturns, 0.9);
    expect(ci.low).toBeCloseTo(direct.returns.totalReturn.low, 9);
    expect(ci.high).toBeCloseTo(direct.returns.totalReturn.high, 9);
    expect(svgCount(readFileSync(join(dir, 'm.html'), 'utf8'))).toBe(2);
  });

  it('refuses a bad --paths and unknown parameters with the field and value', async () => {
    const a = await cli([
      'montecarlo',
      '--data',
      GOOG,
      '--strategy',
      'sma-cross',
      '--param',
      'fast=10',
      '--paths',
      '5',
      '--quiet',
    ]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--paths: must be an integer >= 10 \(got "5"\)/);
    const b = await cli([
      'montecarlo',
      '--data',
      GOOG,
      '--strategy',
      'sma-cross',
      '--param',
      'fast=30',
      '--param',
      'slow=20',
      '--quiet',
    ]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/fast must be less than slow/);
  });
});
