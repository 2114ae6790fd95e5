/**
 * Migration 1: every table. Event times are `bigint` microseconds since the Unix epoch (the kernel's
 * UnixMicros, exact, no time-zone conversion on the way in or out); wall-clock bookkeeping (when a row
 * was written, when a run started) is `timestamptz`. Prices, sizes and money are `float8`, which holds
 * the kernel's float64 values exactly. Text keys use the "C" collation: byte order is all an id needs
 * and it makes the primary-key indexes cheaper to maintain at ingest rates.
 */
export const SCHEMA_SQL = `
CREATE TABLE store_settings (
  key   text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE instruments (
  id             text COLLATE "C" PRIMARY KEY,
  venue          text,
  symbol         text NOT NULL,
  kind           text NOT NULL DEFAULT 'spot',
  base_currency  text,
  quote_currency text,
  tick_size      float8,
  lot_size       float8,
  multiplier     float8 NOT NULL DEFAULT 1,
  spec           jsonb NOT NULL DEFAULT '{}',
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bars (
  instrument_id text COLLATE "C" NOT NULL,
  timeframe     text COLLATE "C" NOT NULL,
  ts            bigint NOT NULL,
  open          float8 NOT NULL,
  high          float8 NOT NULL,
  low           float8 NOT NULL,
  close         float8 NOT NULL,
  volume        float8 NOT NULL DEFAULT 0,
  PRIMARY KEY (instrument_id, timeframe, ts)
);

-- One row per stored bar series, kept in the same transaction as the rows it counts: what
-- 'data list' shows without scanning bars, and the revision the columnar cache is checked against.
CREATE TABLE bar_series (
  instrument_id text COLLATE "C" NOT NULL,
  timeframe     text COLLATE "C" NOT NULL,
  rows          bigint NOT NULL,
  first_ts      bigint NOT NULL,
  last_ts       bigint NOT NULL,
  revision      bigint NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instrument_id, timeframe)
);

CREATE TABLE trades (
  instrument_id text COLLATE "C" NOT NULL,
  ts            bigint NOT NULL,
  trade_id      text COLLATE "C" NOT NULL,
  price         float8 NOT NULL,
  size          float8 NOT NULL,
  side          text CHECK (side IN ('buy', 'sell')), -- the aggressor; null when the venue does not say
  recv_ts       bigint,
  PRIMARY KEY (instrument_id, trade_id, ts)
);

-- Levels are JSONB arrays of [price, size] pairs, best first; mid and spread are the top of book
-- after the row is applied (null when a side is empty or unknown).
CREATE TABLE book_snapshots (
  instrument_id text COLLATE "C" NOT NULL,
  ts            bigint NOT NULL,
  seq           bigint NOT NULL,
  bids          jsonb NOT NULL,
  asks          jsonb NOT NULL,
  mid           float8,
  spread        float8,
  recv_ts       bigint,
  PRIMARY KEY (instrument_id, ts, seq)
);

-- A delta's levels replace the size at their price; size 0 removes the level.
CREATE TABLE book_deltas (
  instrument_id text COLLATE "C" NOT NULL,
  ts            bigint NOT NULL,
  seq           bigint NOT NULL,
  bids          jsonb NOT NULL,
  asks          jsonb NOT NULL,
  mid           float8,
  spread        float8,
  recv_ts       bigint,
  PRIMARY KEY (instrument_id, ts, seq)
);

CREATE TABLE funding_rates (
  instrument_id text COLLATE "C" NOT NULL,
  ts            bigint NOT NULL,
  rate          float8 NOT NULL,
  funding_ts    bigint,
  mark_price    float8,
  recv_ts       bigint,
  PRIMARY KEY (instrument_id, ts)
);

-- Order and fill ids are counters per kernel, so rows are keyed by the account they belong to: a
-- backtest run's id, or a live account such as 'binance:main'.
CREATE TABLE orders (
  account_id         text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  client_order_id    text NOT NULL,
  instrument_id      text COLLATE "C" NOT NULL,
  strategy_id        text NOT NULL,
  side               text NOT NULL CHECK (side IN ('buy', 'sell')),
  type               text NOT NULL,
  time_in_force      text NOT NULL,
  quantity           float8 NOT NULL,
  price              float8,
  trigger_price      float8,
  status             text NOT NULL,
  filled_quantity    float8 NOT NULL,
  average_fill_price float8 NOT NULL,
  post_only          boolean NOT NULL,
  reduce_only        boolean NOT NULL,
  tag                text,
  reason             text,
  created_ts         bigint NOT NULL,
  updated_ts         bigint NOT NULL,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE fills (
  account_id    text COLLATE "C" NOT NULL,
  id            text COLLATE "C" NOT NULL,
  order_id      text COLLATE "C" NOT NULL,
  strategy_id   text NOT NULL,
  instrument_id text COLLATE "C" NOT NULL,
  side          text NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity      float8 NOT NULL,
  price         float8 NOT NULL,
  fee           float8 NOT NULL,
  fee_currency  text NOT NULL,
  liquidity     text NOT NULL CHECK (liquidity IN ('maker', 'taker')),
  realized_pnl  float8 NOT NULL,
  ts            bigint NOT NULL,
  PRIMARY KEY (account_id, id),
  FOREIGN KEY (account_id, order_id) REFERENCES orders (account_id, id)
);
CREATE INDEX fills_by_time ON fills (account_id, ts);

CREATE TABLE positions (
  account_id    text COLLATE "C" NOT NULL,
  instrument_id text COLLATE "C" NOT NULL,
  quantity      float8 NOT NULL,
  average_price float8 NOT NULL,
  realized_pnl  float8 NOT NULL,
  fees          float8 NOT NULL,
  funding       float8 NOT NULL,
  opened_ts     bigint NOT NULL,
  updated_ts    bigint NOT NULL,
  PRIMARY KEY (account_id, instrument_id)
);

CREATE TABLE portfolio_snapshots (
  account_id   text COLLATE "C" NOT NULL,
  ts           bigint NOT NULL,
  cash         float8 NOT NULL,
  total_value  float8 NOT NULL,
  positions    jsonb NOT NULL,
  daily_pnl    float8 NOT NULL,
  max_drawdown float8 NOT NULL,
  PRIMARY KEY (account_id, ts)
);

CREATE TABLE strategy_configs (
  id         text COLLATE "C" NOT NULL,
  version    integer NOT NULL,
  strategy   text NOT NULL,
  params     jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);

CREATE TABLE backtest_runs (
  id                      text COLLATE "C" PRIMARY KEY,
  strategy_config_id      text COLLATE "C",
  strategy_config_version integer,
  config                  jsonb NOT NULL,
  from_ts                 bigint,
  to_ts                   bigint,
  seed                    bigint,
  status                  text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  stats                   jsonb,
  error                   text,
  started_at              timestamptz NOT NULL DEFAULT now(),
  finished_at             timestamptz,
  FOREIGN KEY (strategy_config_id, strategy_config_version) REFERENCES strategy_configs (id, version)
);
`;
