import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import { ModelSelector } from '../../components/AI/ModelSelector';
import { QuotaBars } from '../../components/AI/QuotaBars';
import { CONTEXTS, POLICIES, type RoutePolicy } from '../../services/ai.service';
import { getPolicy, setPolicy } from '../../settings';

/**
 * Default model and per-context models (saved on the gateway as preferences as soon as they are chosen), the
 * routing policy (saved in this browser), reset, and the current usage with quota bars.
 */
export function AISettings() {
  const { service } = useAuth();
  const qc = useQueryClient();
  const [policy, setPolicyState] = useState<RoutePolicy>(getPolicy);
  const [saved, setSaved] = useState<string | null>(null);
  const policyId = useId();

  const usage = useQuery({ queryKey: ['usage'], queryFn: ({ signal }) => service.getUsage(undefined, signal) });

  const reset = useMutation({
    mutationFn: async () => {
      for (const c of CONTEXTS) await service.deletePreference(c);
      setPolicy(null);
    },
    onSuccess: () => {
      setPolicyState(getPolicy());
      setSaved('All settings reset to the gateway defaults.');
      qc.invalidateQueries({ queryKey: ['preferences'] });
    },
  });

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">AI settings</h1>
      <p>Choosing a model saves it at once for that context (on the gateway, for every device you sign in on).</p>
      {CONTEXTS.map((c) => (
        <ModelSelector key={c} context={c} />
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setPolicy(policy);
          setSaved('Routing policy saved in this browser.');
        }}
      >
        <label htmlFor={policyId}>Routing policy</label>
        <select id={policyId} value={policy} onChange={(e) => setPolicyState(e.target.value as RoutePolicy)}>
          {POLICIES.map((p) => (
            <option key={p} value={p}>{p}</option>
          ))}
        </select>
        <div className="inline">
          <button type="submit">Save</button>
          <button type="button" className="secondary" onClick={() => reset.mutate()} aria-busy={reset.isPending}>
            Reset to defaults
          </button>
        </div>
      </form>
      {saved && <p role="status">{saved}</p>}
      {reset.isError && <p role="alert" className="error">Reset failed: {reset.error.message}</p>}
      <h2>Current usage and quota</h2>
      {usage.isPending && <p aria-busy="true">Loading usage…</p>}
      {usage.isError && <p role="alert" className="error">Could not load your usage: {usage.error.message}</p>}
      {usage.data && (
        <>
          <p>
            Today: {usage.data.today?.requests ?? 0} requests, {(usage.data.today?.promptTokens ?? 0) + (usage.data.today?.completionTokens ?? 0)} tokens.
          </p>
          <QuotaBars limits={usage.data.limits} />
        </>
      )}
    </section>
  );
}
