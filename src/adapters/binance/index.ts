/** Binance public market data (no API key): the live kline bar feed. */
export {
  BINANCE_INTERVALS,
  BINANCE_REST_BASE,
  BINANCE_WS_BASE,
  type BinanceInterval,
  BinanceLiveFeed,
  type BinanceLiveFeedOptions,
  type LiveFeedCounters,
} from './live-feed.js';
