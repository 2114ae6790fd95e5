export {
  BinanceCollector,
  type BinanceCollectorOptions,
  type BinanceMarket,
  type CollectorStats,
} from './binance-collector.js';
export type {
  CollectedBatch,
  CollectedBookUpdate,
  CollectedFunding,
  CollectedTrade,
  CollectorSink,
} from './sink.js';
export { JsonlSink, StoreSink } from './sinks.js';
export { FanoutSink } from './fanout-sink.js';
export { type CollectConfig, collectConfigSchema, loadCollectConfig } from './collect-config.js';
