import { useId } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import { formatUsd, healthColour, modelIdOf, type CatalogModel, type Preference, type Preferences } from '../../services/ai.service';

/**
 * The models of the public catalog (/api/v1/ai/models) with pricing, performance, a health dot and the recommended
 * badge. Choosing one saves the signed-in user's preference for `context` (PUT /api/v1/ai/preferences).
 */
export function ModelSelector({ context, onChange }: { context: string; onChange?: (p: Preference | null) => void }) {
  const { service, session } = useAuth();
  const qc = useQueryClient();
  const signedIn = session.kind !== 'none';
  const labelId = useId();

  const models = useQuery({ queryKey: ['models'], queryFn: ({ signal }) => service.listModels(signal) });
  const prefs = useQuery({
    queryKey: ['preferences'],
    queryFn: ({ signal }) => service.getPreferences(signal),
    enabled: signedIn,
  });
  const current = prefs.data?.preferences.find((p) => p.context === context) ?? null;
  const savedId = current ? `${current.provider}/${current.model}` : '';

  const save = useMutation({
    mutationFn: async (m: CatalogModel | null) =>
      m ? service.savePreference(context, m.provider, modelIdOf(m)) : (await service.deletePreference(context), null),
    onSuccess: (p) => {
      // show the saved choice at once, then re-read the server's view
      qc.setQueryData<Preferences>(['preferences'], (old) =>
        old && { ...old, preferences: [...old.preferences.filter((x) => x.context !== context), ...(p ? [p] : [])] });
      qc.invalidateQueries({ queryKey: ['preferences'] });
      onChange?.(p);
    },
  });
  // while a choice is being saved it is shown as chosen
  const currentId = save.isPending ? (save.variables ? save.variables.id : '') : savedId;

  if (models.isPending) return <p aria-busy="true">Loading models…</p>;
  if (models.isError)
    return (
      <p role="alert" className="error">
        Could not load the models: {models.error.message}{' '}
        <button type="button" className="secondary outline" onClick={() => models.refetch()}>
          Retry
        </button>
      </p>
    );
  const list = models.data.models;
  if (list.length === 0) return <p>No models are configured on this gateway.</p>;

  return (
    <fieldset className="model-selector" aria-labelledby={labelId}>
      <legend id={labelId}>
        Model for <strong>{context}</strong>
        {current && (
          <small>
            {' '}
            — saved: {current.providerDisplayName ?? current.provider} / {current.modelDisplayName ?? current.model}
          </small>
        )}
      </legend>
      {!signedIn && <p><small>Sign in to save a choice.</small></p>}
      <label className="model-option">
        <input
          type="radio"
          name={`model-${context}`}
          value=""
          checked={currentId === ''}
          disabled={!signedIn || save.isPending}
          onChange={() => save.mutate(null)}
        />
        <span>Gateway default{prefs.data ? ` (${prefs.data.defaults.model}, policy ${prefs.data.defaults.policy})` : ''}</span>
      </label>
      {list.map((m) => (
        <ModelOption
          key={m.id}
          m={m}
          context={context}
          checked={currentId === m.id}
          disabled={!signedIn || save.isPending}
          onSelect={() => save.mutate(m)}
        />
      ))}
      {save.isPending && <p aria-busy="true">Saving…</p>}
      {save.isError && <p role="alert" className="error">Not saved: {save.error.message}</p>}
      {current?.warning && <p role="status" className="warning">{current.warning}</p>}
    </fieldset>
  );
}

function ModelOption({ m, context, checked, disabled, onSelect }: {
  m: CatalogModel; context: string; checked: boolean; disabled: boolean; onSelect: () => void;
}) {
  const colour = healthColour(m.availability);
  const status = m.availability?.status ?? 'unavailable';
  const recommendedHere = m.recommended.contexts.includes(context);
  const perf = m.performance;
  return (
    <label className="model-option" data-testid={`model-${m.id}`}>
      <input type="radio" name={`model-${context}`} value={m.id} checked={checked} disabled={disabled} onChange={onSelect} />
      <span className={`health-dot ${colour}`} role="img" aria-label={`health: ${status}`} title={`${status} (health ${m.availability?.health ?? 'unknown'}, breaker ${m.availability?.breaker ?? 'unknown'})`} />
      <span className="model-name">
        <strong>{m.displayName ?? m.id}</strong> <code>{m.id}</code>
        {recommendedHere && <mark className="badge">Recommended</mark>}
        {m.description && <small className="model-desc">{m.description}</small>}
      </span>
      <span className="model-figures">
        <small>
          {formatUsd(m.pricing.promptPer1k)} / {formatUsd(m.pricing.completionPer1k)} per 1K tokens (in/out)
        </small>
        <small>
          {perf && perf.requests > 0
            ? `p95 ${perf.p95LatencyMs ?? '—'} ms · success ${perf.successRate == null ? '—' : (perf.successRate * 100).toFixed(1) + ' %'} · ${perf.requests} req/${perf.window}`
            : 'no recent traffic'}
        </small>
      </span>
    </label>
  );
}
