/**
 * Migration 3: what the trading node's state (src/storage/node-state-store.ts) needs beyond migration 1.
 *
 * - `fills.seq`: the order the node recorded its fills in, per account. Recovery re-applies fills in that
 *   order (average prices depend on it); fill times alone do not give it (fills of one bar share a time).
 * - `fills.realized_pnl` may be null: the node records a fill before the position it changes, and its
 *   fill record does not carry the realized P&L (recovery recomputes it from the fills).
 * - `portfolio_snapshots.step`, `gross_exposure`, `cursors` (the replay/feed position to resume from);
 *   `daily_pnl` and `max_drawdown` may be null (the node's per-bar snapshot does not compute them).
 * - `strategy_states`: a strategy's on/off state and parameters per account (strategy_configs is a
 *   global, versioned catalogue of parameter sets and has no on/off state).
 */
export const NODE_STATE_SQL = `
ALTER TABLE fills ADD COLUMN seq bigint;
ALTER TABLE fills ALTER COLUMN realized_pnl DROP NOT NULL;
CREATE UNIQUE INDEX fills_by_seq ON fills (account_id, seq);

ALTER TABLE portfolio_snapshots
  ADD COLUMN step bigint,
  ADD COLUMN gross_exposure float8,
  ADD COLUMN cursors jsonb,
  ALTER COLUMN daily_pnl DROP NOT NULL,
  ALTER COLUMN max_drawdown DROP NOT NULL;

CREATE TABLE strategy_states (
  account_id  text COLLATE "C" NOT NULL,
  strategy_id text COLLATE "C" NOT NULL,
  enabled     boolean NOT NULL,
  params      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, strategy_id)
);
`;
