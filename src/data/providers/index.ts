export type {
  BookSnapshotData,
  Candle,
  FundingPoint,
  MarketDataProvider,
  OhlcvRequest,
  PriceLevel,
  PublicTrade,
  RangeRequest,
} from './port.js';
export { notSupported, timeframeMicros } from './port.js';
export {
  ProviderChain,
  ManagedProvider,
  type ProviderChainOptions,
  type ManagedProviderOptions,
} from './chain.js';
export { TokenBucket, VenueRateLimits, realTime, type Sleeper } from './rate-limit.js';
export { LruTtlCache } from './cache.js';
export { downloadBars, type DownloadRequest, type DownloadResult } from './download.js';
