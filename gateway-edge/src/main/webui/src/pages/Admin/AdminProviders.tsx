import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import { formatUsd } from '../../services/ai.service';

/** Admin: providers with health, breaker, today's figures; enable/disable (admin-service PATCH /providers/{id}). */
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
                <td>{p.breaker ?? 'unknown'}</td>
                <td>{p.models.map((m) => (
                  <div key={m.id}><code>{m.id}</code> <small>{formatUsd(m.promptPricePer1k)} / {formatUsd(m.completionPricePer1k)} per 1K</small></div>
                ))}</td>
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
    </section>
  );
}
