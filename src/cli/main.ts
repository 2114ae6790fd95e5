import { Command, CommanderError } from 'commander';
import { TickerError } from '../model/index.js';

type Register = (program: Command) => void;

/**
 * Every command, in help order, loaded on demand: importing them all (the server, storage drivers, NATS,
 * the market-data providers) took about a second before any command ran, so `tickerml backtest` loads
 * only backtest's module. `--help`, an unknown command or no command loads them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  backtest: async () => (await import('./backtest.js')).registerBacktest,
  'backtest-l2': async () => (await import('./backtest-l2.js')).registerBacktestL2,
  run: async () => (await import('./run.js')).registerRun,
  optimize: async () => (await import('./optimize.js')).registerOptimize,
  walkforward: async () => (await import('./walkforward.js')).registerWalkForward,
  cpcv: async () => (await import('./cpcv.js')).registerCpcv,
  montecarlo: async () => (await import('./montecarlo.js')).registerMonteCarlo,
  report: async () => (await import('./report.js')).registerReport,
  worker: async () => (await import('./worker.js')).registerWorker,
  data: async () => (await import('./data.js')).registerData,
  collect: async () => (await import('./collect.js')).registerCollect,
  ingest: async () => (await import('./ingest.js')).registerIngest,
  strategies: async () => (await import('./strategies.js')).registerStrategies,
  analyze: async () => (await import('./analyze.js')).registerAnalyze,
};

/** The program with every command, or only `command` when it is a known one. */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command();
  program
    .name('tickerml')
    .description('TickerML: one event-driven kernel for backtest, paper and live trading')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  const names = command !== undefined && Object.hasOwn(COMMANDS, command) ? [command] : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const register of registers) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv[2]);
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
