import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import { formatUsd, type AdminProvider } from '../../services/ai.service';
import { PriceEditor } from './PriceEditor';

/**
 * Admin: providers with health, breaker (reset when not closed), today's figures; enable/disable and model prices
 * (admin-service PATCH /providers/{id}, POST /breakers/{provider}/reset).
 */
export function AdminProviders() {
  const { service } = useAuth();
  const qc = useQueryClient();
  const providers = useQuery({ queryKey: ['admin', 'providers'], queryFn: ({ signal }) => service.listProviders(signal) });
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => service.setProviderEnabled(id, enabled),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['admin', 'providers'] });
      qc.invalidateQueries({ queryKey: ['models'] });
    },
  });
  const resetBreaker = useMutation({
    mutationFn: (provider: string) => service.resetBreaker(provider),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'providers'] }),
  });
  const [editing, setEditing] = useState<string | null>(null);
  const editedProvider: AdminProvider | undefined = providers.data?.find((p) => p.id === editing);

  return (
    <section aria-labelledby="prov-title">
      <h1 id="prov-title">Providers</h1>
      {providers.isPending && <p aria-busy="true">Loading providers…</p>}
      {providers.isError && <p role="alert" className="error">Could not load the providers: {providers.error.message}</p>}
      {providers.data && providers.data.length === 0 && <p>No providers are configured.</p>}
      {providers.data && providers.data.length > 0 && (
        <table>
          <thead>
            <tr><th scope="col">Provider</th><th scope="col">Health</th><th scope="col">Breaker</th><th scope="col">Models</th><th scope="col">Today</th><th scope="col">Enabled</th></tr>
          </thead>
          <tbody>
            {providers.data.map((p) => (
              <tr key={p.id}>
                <td><strong>{p.displayName ?? p.id}</strong> <code>{p.id}</code>{p.pending && <small> (change pending)</small>}</td>
                <td>
                  <span className={`health-dot ${p.healthy === true ? 'green' : p.healthy === false ? 'red' : 'yellow'}`} aria-hidden="true" />
                  {p.healthy === true ? 'healthy' : p.healthy === false ? 'unhealthy' : 'unknown'}
                </td>
                <td>
                  <span data-testid={`breaker-${p.id}`}>{p.breaker ?? 'unknown'}</span>
                  {(p.breaker === 'OPEN' || p.breaker === 'HALF_OPEN') && (
                    <div>
                      <button type="button" className="secondary outline" disabled={resetBreaker.isPending}
                        aria-label={`Reset breaker of ${p.id}`} onClick={() => resetBreaker.mutate(p.id)}>Reset breaker</button>
                    </div>
                  )}
                </td>
                <td>{p.models.map((m) => (
                  <div key={m.id}><code>{m.id}</code> <small>{formatUsd(m.promptPricePer1k)} / {formatUsd(m.completionPricePer1k)} per 1K</small></div>
                ))}
                  {p.models.length > 0 && (
                    <button type="button" className="secondary outline" aria-label={`Edit prices of ${p.id}`}
                      aria-expanded={editing === p.id} onClick={() => setEditing(editing === p.id ? null : p.id)}>Edit prices</button>
                  )}
                </td>
                <td>{p.today ? `${p.today.requests} req, ${p.today.errors} err, ${formatUsd(p.today.costUsd)}` : '—'}</td>
                <td>
                  <label>
                    <input type="checkbox" role="switch" checked={p.enabled} disabled={toggle.isPending}
                      aria-label={`${p.enabled ? 'Disable' : 'Enable'} ${p.id}`}
                      onChange={() => toggle.mutate({ id: p.id, enabled: !p.enabled })} />
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {toggle.isError && <p role="alert" className="error">Not changed: {toggle.error.message}</p>}
      {resetBreaker.isError && <p role="alert" className="error">Breaker not reset: {resetBreaker.error.message}</p>}
      {resetBreaker.isSuccess && <p role="status">Breaker of {resetBreaker.data.provider} reset{resetBreaker.data.routing ? ` (now ${resetBreaker.data.routing.state})` : ''}.</p>}
      {providers.data?.some((p) => p.notes && p.notes.length > 0) && (
        <ul aria-label="Notes">
          {providers.data.flatMap((p) => (p.notes ?? []).map((n) => <li key={p.id + n}><small>{p.id}: {n}</small></li>))}
        </ul>
      )}
      {editedProvider && <PriceEditor key={editedProvider.id} provider={editedProvider} onClose={() => setEditing(null)} />}
    </section>
  );
}
