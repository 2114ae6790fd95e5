/**
 * Storage: one PostgreSQL schema behind a small SQL port, served by the embedded PGlite (default,
 * ./data/pglite) or a PostgreSQL/TimescaleDB server (DATABASE_URL). See docs/STORAGE.md.
 */
export type { SqlClient, SqlSession, SqlValue, SqlRow } from './sql-client.js';
export { openStore, DEFAULT_DATA_DIR, type StoreOptions } from './open-store.js';
export { openPgliteClient, type PgliteClientOptions } from './pglite-client.js';
export { openPostgresClient, redactUrl, type PostgresClientOptions } from './postgres-client.js';
export { migrate, MIGRATIONS, type Migration, type MigrationReport } from './migrate.js';
export { setTickRetention, pruneTickData, type TimeLayout, HOT_DAYS } from './migrations/002-time-layout.js';
export { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
export {
  saveBars,
  loadBars,
  listBarSeries,
  barSeriesRevision,
  checkTimeframe,
  type BarRange,
  type StoredBarSeries,
} from './bar-repository.js';
export { loadBarsCached, DEFAULT_CACHE_DIR, type CachedLoad } from './bar-cache.js';
export {
  saveTrades,
  saveBookUpdates,
  saveBookSnapshots,
  saveFundingRates,
  bookUpdateWriter,
  tradeWriter,
  type TradeRecord,
  type BookUpdateRecord,
  type FundingRateRecord,
  type Level,
} from './market-data-repository.js';
export { loadTrades, loadBookUpdates, loadFundingRates, type TickRange } from './market-data-reads.js';
export {
  recordExecution,
  recordPortfolioSnapshot,
  ExecutionJournal,
  type ExecutionRecord,
  type OrderState,
  type PositionState,
  type PortfolioSnapshotRecord,
} from './trading-journal.js';
export { StoreStateStore, NODE_PGLITE_DIR, type StoreStateStoreOptions } from './node-state-store.js';
export { loadAccountHistory, type AccountHistory } from './account-history.js';
export {
  saveInstrument,
  loadInstruments,
  saveStrategyConfig,
  startBacktestRun,
  finishBacktestRun,
  loadBacktestRun,
  type BacktestRunStart,
  type BacktestRunRecord,
} from './run-repository.js';
