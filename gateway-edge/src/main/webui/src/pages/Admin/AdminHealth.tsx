import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import { ErrorNote, Pager, formatTime, useCursorPages } from './common';

const PAGE_SIZE = 50;

/** Admin: provider health history (GET /health/history) and alerts (GET /alerts), newest first, filtered, paged. */
export function AdminHealth() {
  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">Health and alerts</h1>
      <HealthHistory />
      <Alerts />
    </section>
  );
}

function HealthHistory() {
  const { service } = useAuth();
  const providerId = useId();
  const fromId = useId();
  const [provider, setProvider] = useState('');
  const [from, setFrom] = useState('');
  const pages = useCursorPages();
  const providers = useQuery({ queryKey: ['admin', 'providers'], queryFn: ({ signal }) => service.listProviders(signal) });
  const q = { provider, from, cursor: pages.cursor, limit: PAGE_SIZE };
  const history = useQuery({ queryKey: ['admin', 'health-history', q], queryFn: ({ signal }) => service.getHealthHistory(q, signal) });

  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Health history</h2>
      <div className="inline">
        <label htmlFor={providerId}>Provider</label>
        <select id={providerId} value={provider} onChange={(e) => { setProvider(e.target.value); pages.reset(); }}>
          <option value="">All providers</option>
          {(providers.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.id}</option>)}
        </select>
        <label htmlFor={fromId}>Since</label>
        <input id={fromId} type="date" value={from} onChange={(e) => { setFrom(e.target.value); pages.reset(); }} />
      </div>
      {history.isPending && <p aria-busy="true">Loading the health history…</p>}
      {history.isError && <ErrorNote error={history.error} prefix="Could not load the health history" />}
      {history.data && history.data.rows.length === 0 && <p>No health events.</p>}
      {history.data && history.data.rows.length > 0 && (
        <div className="overflow-auto">
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Provider</th><th scope="col">Event</th><th scope="col">Health</th><th scope="col">Latency</th><th scope="col">Failures in a row</th><th scope="col">Detail</th></tr>
            </thead>
            <tbody>
              {history.data.rows.map((r) => (
                <tr key={r.eventId}>
                  <td>{formatTime(r.occurredAt)}</td>
                  <td>{r.provider}</td>
                  <td>{r.type}</td>
                  <td>
                    <span className={`health-dot ${r.healthy ? 'green' : 'red'}`} aria-hidden="true" />
                    {r.healthy ? 'healthy' : 'unhealthy'}
                    {r.previousHealthy != null && r.previousHealthy !== r.healthy && <small> (was {r.previousHealthy ? 'healthy' : 'unhealthy'})</small>}
                  </td>
                  <td>{r.latencyMs == null ? '—' : `${r.latencyMs} ms`}</td>
                  <td>{r.consecutiveFailures ?? '—'}</td>
                  <td>{r.detail ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history.data && <Pager pages={pages} nextCursor={history.data.nextCursor} label="Health history pages" />}
    </section>
  );
}

function Alerts() {
  const { service } = useAuth();
  const typeId = useId();
  const subjectId = useId();
  const [type, setType] = useState('');
  const [subject, setSubject] = useState('');
  const [applied, setApplied] = useState({ type: '', subject: '' });
  const pages = useCursorPages();
  const q = { ...applied, cursor: pages.cursor, limit: PAGE_SIZE };
  const alerts = useQuery({ queryKey: ['admin', 'alerts', q], queryFn: ({ signal }) => service.getAlerts(q, signal) });

  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts</h2>
      <form className="inline" aria-label="Alert filters" onSubmit={(e) => { e.preventDefault(); setApplied({ type: type.trim(), subject: subject.trim() }); pages.reset(); }}>
        <label htmlFor={typeId}>Type</label>
        <input id={typeId} value={type} placeholder="provider_unhealthy" onChange={(e) => setType(e.target.value)} />
        <label htmlFor={subjectId}>Subject</label>
        <input id={subjectId} value={subject} placeholder="fakeb" onChange={(e) => setSubject(e.target.value)} />
        <button type="submit">Filter alerts</button>
      </form>
      {alerts.isPending && <p aria-busy="true">Loading alerts…</p>}
      {alerts.isError && <ErrorNote error={alerts.error} prefix="Could not load the alerts" />}
      {alerts.data && alerts.data.rows.length === 0 && <p>No alerts.</p>}
      {alerts.data && alerts.data.rows.length > 0 && (
        <div className="overflow-auto">
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Type</th><th scope="col">Subject</th><th scope="col">Details</th></tr>
            </thead>
            <tbody>
              {alerts.data.rows.map((a) => (
                <tr key={a.alertId}>
                  <td>{formatTime(a.occurredAt)}</td>
                  <td><code>{a.type}</code></td>
                  <td>{a.subject}</td>
                  <td>
                    {a.payload == null ? '—' : (
                      <details>
                        <summary>Payload</summary>
                        <pre className="json">{JSON.stringify(a.payload, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {alerts.data && <Pager pages={pages} nextCursor={alerts.data.nextCursor} label="Alert pages" />}
    </section>
  );
}
