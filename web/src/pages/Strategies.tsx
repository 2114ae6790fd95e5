import { useState } from 'react';
import type { PageProps } from '../App';
import { type Strategy, api, can } from '../api';
import { useAction, useResource } from '../hooks';

export function Strategies({ session }: PageProps) {
  const r = useResource<Strategy[]>('/strategies', { streams: ['system'] });
  const trader = can(session.role, 'trader');
  return (
    <section>
      <h2>Strategies</h2>
      {r.error && <p className="error">{r.error}</p>}
      <div className="list">
        {(r.data ?? []).map((s) => (
          <StrategyCard key={s.id} s={s} trader={trader} reload={r.reload} />
        ))}
      </div>
    </section>
  );
}

function StrategyCard({ s, trader, reload }: { s: Strategy; trader: boolean; reload: () => void }) {
  const act = useAction();
  const [edit, setEdit] = useState<Record<string, string>>();
  const path = `/strategies/${encodeURIComponent(s.id)}`;
  return (
    <div className="card wide" data-strategy={s.id}>
      <div className="row">
        <strong>{s.id}</strong>
        <span className="muted">{s.name}</span>
        <span className={`badge ${s.enabled ? 'on' : 'off'}`} data-testid="strategy-state">
          {s.failed ? 'failed' : s.enabled ? 'running' : 'stopped'}
        </span>
        <span className="muted small">{s.instruments.join(', ')}</span>
        <span className="spacer" />
        {trader &&
          (s.enabled ? (
            <button disabled={act.busy} onClick={() => void act.run(() => api(`${path}/stop`, { method: 'POST' }).then(reload))}>
              Stop
            </button>
          ) : (
            <button disabled={act.busy} onClick={() => void act.run(() => api(`${path}/start`, { method: 'POST' }).then(reload))}>
              Start
            </button>
          ))}
      </div>
      {s.failed && <p className="error">{s.failed}</p>}
      {edit ? (
        <form
          className="params"
          onSubmit={(e) => {
            e.preventDefault();
            const parameters: Record<string, number | string | boolean> = {};
            for (const [k, v] of Object.entries(edit)) {
              const orig = s.parameters[k];
              parameters[k] = typeof orig === 'number' ? Number(v) : typeof orig === 'boolean' ? v === 'true' : v;
            }
            void act.run(() =>
              api(`${path}/parameters`, { method: 'PUT', body: { parameters } }).then(() => {
                setEdit(undefined);
                reload();
              }),
            );
          }}
        >
          {Object.keys(edit).map((k) => (
            <label key={k}>
              {k}
              <input value={edit[k]} onChange={(e) => setEdit({ ...edit, [k]: e.target.value })} size={8} />
            </label>
          ))}
          <button type="submit" disabled={act.busy}>
            Save
          </button>
          <button type="button" className="link" onClick={() => setEdit(undefined)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="params">
          {Object.entries(s.parameters).map(([k, v]) => (
            <span key={k} className="param">
              {k} <b>{String(v)}</b>
            </span>
          ))}
          {trader && (
            <button
              className="link"
              onClick={() => setEdit(Object.fromEntries(Object.entries(s.parameters).map(([k, v]) => [k, String(v)])))}
            >
              Edit parameters
            </button>
          )}
        </div>
      )}
      {act.error && <p className="error">{act.error}</p>}
    </div>
  );
}
