import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import type { AdminProvider, ModelPricePatch } from '../../services/ai.service';
import { ErrorNote, paramOf } from './common';

type Field = 'promptPricePer1k' | 'completionPricePer1k';
const FIELDS: { field: Field; label: string }[] = [
  { field: 'promptPricePer1k', label: 'Prompt price per 1K' },
  { field: 'completionPricePer1k', label: 'Completion price per 1K' },
];

function str(v: number | string | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

/**
 * Edits the prompt and completion prices (USD per 1K tokens) of a provider's models: one merge patch with the
 * changed prices only; an emptied field sends null (the configuration's price applies again). A 400 names the field
 * in `param`: shown, and that input is marked invalid.
 */
export function PriceEditor({ provider, onClose }: { provider: AdminProvider; onClose: () => void }) {
  const { service } = useAuth();
  const qc = useQueryClient();
  const initial = Object.fromEntries(provider.models.map((m) => [m.id, { promptPricePer1k: str(m.promptPricePer1k), completionPricePer1k: str(m.completionPricePer1k) }]));
  const [values, setValues] = useState<Record<string, Record<Field, string>>>(initial);
  const save = useMutation({
    mutationFn: (patch: Record<string, ModelPricePatch>) => service.setModelPrices(provider.id, patch),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['admin', 'providers'] });
      qc.invalidateQueries({ queryKey: ['models'] });
    },
  });
  const param = paramOf(save.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const patch: Record<string, ModelPricePatch> = {};
    for (const m of provider.models) {
      for (const { field } of FIELDS) {
        const v = values[m.id][field].trim();
        if (v !== initial[m.id][field]) (patch[m.id] ??= {})[field] = v === '' ? null : v;
      }
    }
    if (Object.keys(patch).length === 0) return onClose();
    save.mutate(patch);
  };

  return (
    <section aria-labelledby="price-title">
      <h2 id="price-title">Prices of {provider.displayName ?? provider.id}</h2>
      <form onSubmit={submit} noValidate>
        <p><small>USD per 1,000 tokens. Empty a field to go back to the configured price.</small></p>
        {provider.models.map((m) => (
          <fieldset key={m.id}>
            <legend><code>{m.id}</code></legend>
            <div className="grid">
              {FIELDS.map(({ field, label }) => {
                const invalid = param === `models.${m.id}.${field}` || param === `models.${m.id}`;
                const id = `price-${provider.id}-${m.id}-${field}`;
                return (
                  <label key={field} htmlFor={id}>
                    {label} of {m.id}
                    <input id={id} inputMode="decimal" value={values[m.id][field]} aria-invalid={invalid || undefined}
                      onChange={(e) => setValues((v) => ({ ...v, [m.id]: { ...v[m.id], [field]: e.target.value } }))} />
                  </label>
                );
              })}
            </div>
          </fieldset>
        ))}
        {save.isError && <ErrorNote error={save.error} prefix="Prices not saved" />}
        {save.isSuccess && (
          <p role="status">Prices saved{save.data.published === false ? ', not yet published (it will be shortly)' : ''}.</p>
        )}
        <div className="inline">
          <button type="submit" aria-busy={save.isPending} disabled={save.isPending}>Save prices</button>
          <button type="button" className="secondary" onClick={onClose}>Close</button>
        </div>
      </form>
    </section>
  );
}
