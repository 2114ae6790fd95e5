import type { PageProps } from '../App';
import type { Portfolio, RiskState, Snapshot } from '../api';
import { LineChart } from '../charts';
import { fmtMoney, fmtPct, signClass } from '../format';
import { useResource } from '../hooks';

export function Overview(_: PageProps) {
  const p = useResource<Portfolio>('/portfolio', { streams: ['portfolio', 'fills'], throttleMs: 500 });
  const risk = useResource<RiskState>('/risk/state', { streams: ['system'], pollMs: 5000 });
  const hist = useResource<Snapshot[]>('/portfolio/history?limit=2000', { streams: ['portfolio'], throttleMs: 2000 });
  const d = p.data;
  const r = risk.data;
  return (
    <section>
      <h2>Overview</h2>
      {p.error && <p className="error">{p.error}</p>}
      <div className="cards">
        <Card label="Equity" value={fmtMoney(d?.equity)} sub={d?.currency} testId="equity" />
        <Card
          label="P&L"
          value={fmtMoney(d?.pnl)}
          sub={fmtPct(d?.returnPct)}
          cls={signClass(d?.pnl ?? 0)}
          testId="pnl"
        />
        <Card label="Drawdown" value={fmtPct(d?.drawdownPct)} sub={`peak ${fmtMoney(d?.highWaterMark)}`} />
        <Card
          label="Exposure"
          value={fmtMoney(d?.grossExposure)}
          sub={d && d.equity > 0 ? `${((d.grossExposure / d.equity) * 100).toFixed(1)}% of equity` : ''}
        />
        <Card label="Cash" value={fmtMoney(d?.cash)} sub={`start ${fmtMoney(d?.startingCash)}`} />
        <Card
          label="Risk"
          value={r ? (r.killSwitch ? 'KILL SWITCH' : r.account) : '—'}
          sub={r?.reason || (r?.pausedInstruments.length ? `paused: ${r.pausedInstruments.join(', ')}` : 'no breaker tripped')}
          cls={r && (r.killSwitch || r.account !== 'active') ? 'neg' : ''}
          testId="risk-state"
        />
      </div>
      <h3>Equity</h3>
      {hist.data && hist.data.length > 1 ? (
        <LineChart label="equity curve" seconds points={hist.data.map((s) => ({ time: s.ts / 1e6, value: s.equity }))} />
      ) : (
        <p className="muted">Waiting for the first bars…</p>
      )}
    </section>
  );
}

function Card(props: { label: string; value: string; sub?: string | undefined; cls?: string; testId?: string }) {
  return (
    <div className="card">
      <div className="muted">{props.label}</div>
      <div className={`big ${props.cls ?? ''}`} data-testid={props.testId}>
        {props.value}
      </div>
      <div className="muted small">{props.sub}</div>
    </div>
  );
}
