// The public API of TickerML.
export * from './model/index.js';
export * from './core/index.js';
export * from './strategy/index.js';
export { Kernel } from './engine/kernel.js';
export { BacktestEngine, type BacktestConfig, type BacktestResult } from './engine/backtest.js';
export { BarVenue } from './execution/bar-venue.js';
export { ExecutionEngine } from './execution/execution-engine.js';
export { CommissionModel } from './execution/commission.js';
export type { ExecutionClient, ExecutionReports } from './execution/ports.js';
export { Portfolio } from './portfolio/portfolio.js';
export { computeStats, type Stats } from './portfolio/stats.js';
export type { ClosedTrade } from './portfolio/trades.js';
export { RiskEngine, type PreTradeRule } from './risk/index.js';
export { SMA } from './indicators/index.js';
export { SmaCross, STRATEGIES, createStrategy } from './strategies/index.js';
export { readCsvBars, parseCsvBars } from './data/csv-bars.js';
