import { useId, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAuth } from '../../auth/AuthContext';
import { formatUsd, type UsageReport } from '../../services/ai.service';
import { QuotaBars } from './QuotaBars';

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function defaultRange(now = new Date()): { from: string; to: string } {
  const from = new Date(now.getTime() - 6 * 86_400_000);
  return { from: isoDay(from), to: isoDay(now) };
}

/** Sums of the per-day rows of a report. */
export function totals(r: UsageReport) {
  const t = { requests: 0, tokens: 0, cost: 0, saved: 0, cached: 0 };
  for (const d of r.days ?? []) {
    t.requests += d.requests;
    t.tokens += d.promptTokens + d.completionTokens;
    t.cost += Number(d.costUsd);
    t.saved += Number(d.costSavedUsd);
    t.cached += d.cachedRequests;
  }
  return { ...t, cacheHitRate: t.requests > 0 ? t.cached / t.requests : null };
}

/** Requests, tokens, cost, cache hits and cost saved over a date range (GET /api/v1/ai/usage), with charts. */
export function UsageStats() {
  const { service } = useAuth();
  const [range, setRange] = useState(defaultRange);
  const fromId = useId();
  const toId = useId();
  const usage = useQuery({
    queryKey: ['usage', range.from, range.to],
    queryFn: ({ signal }) => service.getUsage(range, signal),
  });
  const t = useMemo(() => (usage.data ? totals(usage.data) : null), [usage.data]);
  const byProvider = useMemo(() => {
    const m = new Map<string, { provider: string; requests: number; costUsd: number }>();
    for (const r of usage.data?.byModel ?? []) {
      const e = m.get(r.provider) ?? { provider: r.provider, requests: 0, costUsd: 0 };
      e.requests += r.requests;
      e.costUsd += Number(r.costUsd);
      m.set(r.provider, e);
    }
    return [...m.values()];
  }, [usage.data]);

  return (
    <section aria-labelledby="usage-title">
      <h1 id="usage-title">Usage</h1>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={fromId}>From</label>
        <input id={fromId} type="date" value={range.from} max={range.to}
          onChange={(e) => e.target.value && setRange((r) => ({ ...r, from: e.target.value }))} />
        <label htmlFor={toId}>To</label>
        <input id={toId} type="date" value={range.to} min={range.from}
          onChange={(e) => e.target.value && setRange((r) => ({ ...r, to: e.target.value }))} />
      </form>
      {usage.isPending && <p aria-busy="true">Loading usage…</p>}
      {usage.isError && <p role="alert" className="error">Could not load your usage: {usage.error.message}</p>}
      {usage.data && t && (
        <>
          <div className="stat-grid" role="list" aria-label="Totals for the range">
            <Stat label="Requests" value={String(t.requests)} />
            <Stat label="Tokens" value={String(t.tokens)} />
            <Stat label="Cost" value={formatUsd(t.cost)} />
            <Stat label="Cache hit rate" value={t.cacheHitRate == null ? '—' : (t.cacheHitRate * 100).toFixed(1) + ' %'} />
            <Stat label="Cost saved" value={formatUsd(t.saved)} />
          </div>
          {t.requests === 0 ? (
            <p data-testid="usage-empty">No requests in this range yet.</p>
          ) : (
            <figure>
              <figcaption>Requests and cost per day</figcaption>
              <div className="chart" data-testid="chart-days">
                <ResponsiveContainer width="100%" height={260}>
                  <BarChart data={(usage.data.days ?? []).map((d) => ({ ...d, cost: Number(d.costUsd) }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="date" />
                    <YAxis yAxisId="req" allowDecimals={false} />
                    <YAxis yAxisId="cost" orientation="right" />
                    <Tooltip />
                    <Legend />
                    <Bar yAxisId="req" dataKey="requests" name="requests" fill="#1f4f8f" />
                    <Bar yAxisId="cost" dataKey="cost" name="cost (USD)" fill="#c26a00" />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </figure>
          )}
          <h2>This month by provider and model</h2>
          {usage.data.byModel.length === 0 ? (
            <p>No usage this month.</p>
          ) : (
            <div className="grid">
              <figure>
                <figcaption>Requests by provider</figcaption>
                <div className="chart" data-testid="chart-providers">
                  <ResponsiveContainer width="100%" height={220}>
                    <BarChart data={byProvider}>
                      <XAxis dataKey="provider" />
                      <YAxis allowDecimals={false} />
                      <Tooltip />
                      <Bar dataKey="requests" fill="#1f4f8f" />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
              </figure>
              <table>
                <caption>By model</caption>
                <thead><tr><th scope="col">Model</th><th scope="col">Requests</th><th scope="col">Tokens</th><th scope="col">Cost</th></tr></thead>
                <tbody>
                  {usage.data.byModel.map((r) => (
                    <tr key={r.provider + '/' + r.model}>
                      <td>{r.provider}/{r.model}</td><td>{r.requests}</td><td>{r.tokens}</td><td>{formatUsd(r.costUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>Remaining quota{usage.data.tier ? ` (tier ${usage.data.tier})` : ''}</h2>
          <QuotaBars limits={usage.data.limits} />
        </>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <article role="listitem" className="stat">
      <small>{label}</small>
      <strong>{value}</strong>
    </article>
  );
}
