import { useState } from 'react';
import type { PageProps } from '../App';
import { type RiskState, api, can } from '../api';
import { fmtMoney, fmtTime } from '../format';
import { useAction, useResource } from '../hooks';

export function Risk({ session }: PageProps) {
  const limits = useResource<Record<string, unknown>>('/risk/limits');
  const state = useResource<RiskState>('/risk/state', { streams: ['system'], pollMs: 5000 });
  const [reason, setReason] = useState('');
  const act = useAction();
  const s = state.data;
  return (
    <section>
      <h2>Risk</h2>
      {state.error && <p className="error">{state.error}</p>}
      {s && (
        <div className="card wide">
          <div className="row">
            <span>
              Trading state <b data-testid="account-state">{s.account}</b>
            </span>
            <span className={`badge ${s.killSwitch ? 'kill' : 'on'}`}>kill switch {s.killSwitch ? 'TRIPPED' : 'armed'}</span>
            <span className="muted">high-water mark {fmtMoney(s.highWaterMark)}</span>
          </div>
          {s.reason && <p>{s.reason}</p>}
          {s.pausedInstruments.length > 0 && <p>Paused: {s.pausedInstruments.join(', ')}</p>}
          <div className="row">
            {can(session.role, 'trader') && !s.killSwitch && (
              <>
                <input aria-label="reason" placeholder="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
                <button
                  className="danger"
                  disabled={act.busy}
                  onClick={() => {
                    if (!confirm('Trip the kill switch? It cancels every order, flattens every position and halts trading.'))
                      return;
                    void act.run(() =>
                      api('/risk/kill-switch', { method: 'POST', body: reason ? { reason } : {} }).then(state.reload),
                    );
                  }}
                >
                  Kill switch
                </button>
              </>
            )}
            {can(session.role, 'admin') && s.killSwitch && (
              <button disabled={act.busy} onClick={() => void act.run(() => api('/risk/kill-switch/reset', { method: 'POST' }).then(state.reload))}>
                Reset kill switch
              </button>
            )}
            {act.error && <span className="error">{act.error}</span>}
          </div>
        </div>
      )}
      <h3>Limits</h3>
      <dl className="kv">
        {flatten(limits.data ?? {}).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <h3>Events</h3>
      {s?.events.length ? (
        <ul className="events">
          {[...s.events].reverse().map((e, i) => (
            <li key={i}>
              <span className="muted">{fmtTime(e.ts)}</span> <b>{e.kind}</b> {e.instrumentId ?? ''} {e.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No risk events.</p>
      )}
    </section>
  );
}

/** Nested limit groups as dotted keys (correlation.threshold); null is "none", an empty group "—". */
function flatten(o: Record<string, unknown>, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(o)) {
    const key = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const inner = flatten(v as Record<string, unknown>, `${key}.`);
      out.push(...(inner.length ? inner : [[key, '—'] as [string, string]]));
    } else out.push([key, v === null ? 'none' : Array.isArray(v) ? v.join(', ') : String(v)]);
  }
  return out;
}
