import { Command, CommanderError } from 'commander';
import { TickerError } from '../model/index.js';
import { registerBacktest } from './backtest.js';
import { registerBacktestL2 } from './backtest-l2.js';
import { registerCpcv } from './cpcv.js';
import { registerMonteCarlo } from './montecarlo.js';
import { registerOptimize } from './optimize.js';
import { registerReport } from './report.js';
import { registerWalkForward } from './walkforward.js';
import { registerWorker } from './worker.js';
import { registerRun } from './run.js';
import { registerData } from './data.js';
import { registerCollect } from './collect.js';
import { registerIngest } from './ingest.js';
import { registerStrategies } from './strategies.js';
import { registerAnalyze } from './analyze.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tickerml')
    .description('TickerML: one event-driven kernel for backtest, paper and live trading')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  registerBacktest(program);
  registerBacktestL2(program);
  registerRun(program);
  registerOptimize(program);
  registerWalkForward(program);
  registerCpcv(program);
  registerMonteCarlo(program);
  registerReport(program);
  registerWorker(program);
  registerData(program);
  registerCollect(program);
  registerIngest(program);
  registerStrategies(program);
  registerAnalyze(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof TickerError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
