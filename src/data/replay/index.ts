export { parseBinanceCapture, type BinanceReplayOptions } from './binance.js';
export { type L2Replay, replayStreams } from './columns.js';
export { DepthSync, type GapPolicy } from './depth-sync.js';
export {
  REPLAY_FORMATS,
  type ReplayFormat,
  appendColumns,
  concatReplays,
  loadReplayFiles,
  readReplayText,
} from './file.js';
export { parseNautilusDepthCsv, type NautilusDepthOptions } from './nautilus.js';
export { ReplayReport, type ReplayProblem } from './report.js';
export { parseTardisCsv, tardisDataType, type TardisDataType, type TardisReplayOptions } from './tardis.js';
