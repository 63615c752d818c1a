import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAuth } from '../../auth/AuthContext';
import { formatUsd, type AdminUsageRow, type UsageGroupBy } from '../../services/ai.service';
import { ErrorNote, Pager, dayAfter, daysAgo, today, useCursorPages } from './common';

type By = 'user' | 'model';
const GROUPS: Record<By, UsageGroupBy[]> = { user: ['user'], model: ['provider', 'model'] };

function keyOf(r: AdminUsageRow, by: By): string {
  if (by === 'user') return String(r.userId ?? r.user ?? '—');
  return r.provider ? `${r.provider}/${r.model ?? '—'}` : String(r.model ?? '—');
}

/** Admin: usage by user or by model over a date range (admin-service GET /usage), as a table and a chart. */
export function AdminUsage() {
  const { service } = useAuth();
  const [from, setFrom] = useState(() => daysAgo(7));
  const [to, setTo] = useState(today);
  const [by, setBy] = useState<By>('user');
  const pages = useCursorPages();
  const ids = { from: useId(), to: useId(), by: useId() };
  const usage = useQuery({
    queryKey: ['admin', 'usage', from, to, by, pages.cursor],
    // the API's `to` is exclusive (a date is the start of that UTC day); the form's To date is included
    queryFn: ({ signal }) => service.getAdminUsage({ from, to: dayAfter(to), groupBy: GROUPS[by], cursor: pages.cursor, limit: 100 }, signal),
  });
  const rows = usage.data?.rows ?? [];
  const chart = rows.map((r) => ({ name: keyOf(r, by), requests: r.requests, cost: Number(r.costUsd ?? 0) }));
  const change = <T,>(set: (v: T) => void) => (v: T) => { set(v); pages.reset(); };

  return (
    <section aria-labelledby="adm-usage-title">
      <h1 id="adm-usage-title">Usage by user and model</h1>
      <form className="inline" onSubmit={(e) => e.preventDefault()} aria-label="Usage range">
        <label htmlFor={ids.from}>From</label>
        <input id={ids.from} type="date" value={from} max={to} onChange={(e) => e.target.value && change(setFrom)(e.target.value)} />
        <label htmlFor={ids.to}>To</label>
        <input id={ids.to} type="date" value={to} min={from} onChange={(e) => e.target.value && change(setTo)(e.target.value)} />
        <label htmlFor={ids.by}>Group by</label>
        <select id={ids.by} value={by} onChange={(e) => change(setBy)(e.target.value as By)}>
          <option value="user">User</option>
          <option value="model">Model</option>
        </select>
      </form>
      {usage.isPending && <p aria-busy="true">Loading usage…</p>}
      {usage.isError && <ErrorNote error={usage.error} prefix="Could not load the usage" />}
      {usage.data && rows.length === 0 && <p>No usage in this range.</p>}
      {usage.data && rows.length > 0 && (
        <>
          <div className="chart" data-testid="chart-admin-usage" role="img" aria-label={`Requests and cost by ${by}`}>
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" />
                <YAxis yAxisId="req" />
                <YAxis yAxisId="cost" orientation="right" />
                <Tooltip />
                <Legend />
                <Bar yAxisId="req" dataKey="requests" name="requests" fill="#1f4f8f" />
                <Bar yAxisId="cost" dataKey="cost" name="cost (USD)" fill="#c26a00" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <div className="overflow-auto">
            <table>
              <caption className="visually-hidden">Usage by {by} from {from} to {to}</caption>
              <thead>
                <tr>
                  <th scope="col">{by === 'user' ? 'User' : 'Model'}</th><th scope="col">Requests</th><th scope="col">Errors</th>
                  <th scope="col">Cached</th><th scope="col">Prompt tokens</th><th scope="col">Completion tokens</th>
                  <th scope="col">Cost</th><th scope="col">Saved</th><th scope="col">p95 latency</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={keyOf(r, by)}>
                    <th scope="row">{keyOf(r, by)}</th><td>{r.requests}</td><td>{r.errors}</td><td>{r.cachedRequests}</td>
                    <td>{r.promptTokens}</td><td>{r.completionTokens}</td><td>{formatUsd(r.costUsd)}</td>
                    <td>{formatUsd(r.costSavedUsd)}</td><td>{r.p95LatencyMs == null ? '—' : `${r.p95LatencyMs} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {usage.data && (pages.page > 1 || usage.data.nextCursor) && <Pager pages={pages} nextCursor={usage.data.nextCursor} label="Usage pages" />}
    </section>
  );
}
