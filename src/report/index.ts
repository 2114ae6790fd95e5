/** HTML reports of backtests (outer ring: kernel folders never import this). */
export {
  REPORT_CHARTS,
  type BacktestReportInput,
  type RenderOptions,
  type ReportInput,
  renderReport,
} from './render.js';
export { type SeriesReportInput, renderSeriesReport } from './series-report.js';
export {
  RUN_RECORD_FORMAT,
  type RiskEventJson,
  type RunMeta,
  type RunRecord,
  type TradeJson,
  parseRunRecord,
  runRecordFromBacktest,
  runRecordToJson,
  tradesToJson,
} from './run-record.js';
