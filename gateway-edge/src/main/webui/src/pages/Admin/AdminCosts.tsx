import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAuth } from '../../auth/AuthContext';
import { formatUsd } from '../../services/ai.service';

function monthStart(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

/** Admin: cost per day with the month-end projection (admin-service GET /costs) and a CSV download. */
export function AdminCosts() {
  const { service } = useAuth();
  const [from, setFrom] = useState(monthStart);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const fromId = useId();
  const q = { from, groupBy: ['day'] };
  const costs = useQuery({ queryKey: ['admin', 'costs', from], queryFn: ({ signal }) => service.getCosts(q, signal) });

  const download = async () => {
    setDownloadError(null);
    try {
      const { blob, filename } = await service.downloadCostsCsv({ from, groupBy: ['provider', 'day'] });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
    } catch (e) {
      setDownloadError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="costs-title">
      <h1 id="costs-title">Costs</h1>
      <div className="inline">
        <label htmlFor={fromId}>From</label>
        <input id={fromId} type="date" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} />
        <button type="button" className="secondary" onClick={download}>Download CSV</button>
      </div>
      {downloadError && <p role="alert" className="error">Download failed: {downloadError}</p>}
      {costs.isPending && <p aria-busy="true">Loading costs…</p>}
      {costs.isError && <p role="alert" className="error">Could not load the costs: {costs.error.message}</p>}
      {costs.data && (
        <>
          <p>
            Total {formatUsd(costs.data.totalUsd)}, saved by the cache {formatUsd(costs.data.costSavedUsd)}
            {costs.data.projection && <>; projected month end <strong data-testid="projection">{formatUsd(costs.data.projection.projectedMonthEndUsd)}</strong></>}.
          </p>
          {costs.data.rows.length === 0 ? (
            <p>No costs in this range.</p>
          ) : (
            <div className="chart" data-testid="chart-costs">
              <ResponsiveContainer width="100%" height={260}>
                <LineChart data={costs.data.rows.map((r) => ({ day: String(r.day ?? ''), cost: Number(r.costUsd ?? 0) }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis />
                  <Tooltip />
                  <Line dataKey="cost" name="cost (USD)" stroke="#c26a00" />
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
        </>
      )}
    </section>
  );
}
