import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TickerError } from '../model/index.js';
import { parseRunRecord, renderReport } from '../report/index.js';

export interface ReportCliOptions {
  out?: string;
  quiet?: boolean;
}

/** The default output: the run file's name with .html instead of .json. */
export function defaultReportPath(runFile: string): string {
  return /\.json$/i.test(runFile) ? runFile.replace(/\.json$/i, '.html') : `${runFile}.html`;
}

/** Runs `tickerml report RUN.json`; returns the exit code. */
export function runReportCommand(
  runFile: string,
  o: ReportCliOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): number {
  let text: string;
  try {
    text = readFileSync(runFile, 'utf8');
  } catch (e) {
    throw new TickerError('NO_FILE', `${runFile}: cannot read (${(e as Error).message})`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TickerError('BAD_RUN_RECORD', `${runFile}: not JSON (${(e as Error).message})`, { cause: e });
  }
  const file = o.out ?? defaultReportPath(runFile);
  writeFileSync(file, renderReport(parseRunRecord(json, runFile)));
  if (!o.quiet) out(`wrote ${file}\n`);
  return 0;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write a self-contained HTML report (charts, statistics, trades, risk events) of a saved run',
    )
    .argument('<run>', 'a run record written by `tickerml backtest --save-run RUN.json`')
    .option('--out <file>', 'the HTML file to write (default: RUN with .html)')
    .option('--quiet', 'print nothing')
    .addHelpText(
      'after',
      '\nExample:\n  tickerml backtest --data GOOG.csv --strategy sma-cross --save-run run.json\n  tickerml report run.json --out report.html\n',
    )
    .action((run: string, opts: ReportCliOptions) => {
      process.exitCode = runReportCommand(run, opts);
    });
}
