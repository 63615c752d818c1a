import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import { QuotaBars } from '../../components/AI/QuotaBars';
import type { QuotaTier, QuotaWindow, UserQuota } from '../../services/ai.service';
import { ErrorNote, formatTime, paramOf } from './common';
import { LimitsFields, describeLimits, toLimits, toValues } from './LimitsFields';

/** Admin: quota tiers (list, add, edit, delete) and one user's quota (tier, overrides, counters, reset). */
export function AdminQuotas() {
  return (
    <section aria-labelledby="quotas-title">
      <h1 id="quotas-title">Quotas</h1>
      <UserQuotaPanel />
      <TiersPanel />
    </section>
  );
}

// ---------------------------------------------------------------- tiers

function TiersPanel() {
  const { service } = useAuth();
  const qc = useQueryClient();
  const tiers = useQuery({ queryKey: ['admin', 'quota-tiers'], queryFn: ({ signal }) => service.getQuotaTiers(signal) });
  const [editing, setEditing] = useState<{ name: string; tier: QuotaTier | null } | null>(null);
  const remove = useMutation({
    mutationFn: (name: string) => service.deleteQuotaTier(name),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'quota-tiers'] }),
  });

  return (
    <section aria-labelledby="tiers-title">
      <h2 id="tiers-title">Tiers</h2>
      {tiers.isPending && <p aria-busy="true">Loading tiers…</p>}
      {tiers.isError && <ErrorNote error={tiers.error} prefix="Could not load the tiers" />}
      {tiers.data && tiers.data.tiers.length === 0 && <p>No tiers are defined.</p>}
      {tiers.data && tiers.data.tiers.length > 0 && (
        <table>
          <thead>
            <tr><th scope="col">Tier</th><th scope="col">Limits</th><th scope="col">Users</th><th scope="col">Updated</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {tiers.data.tiers.map((t) => (
              <tr key={t.name}>
                <th scope="row">{t.name}{t.name === tiers.data.defaultTier && <span className="badge">default</span>}</th>
                <td>{describeLimits(t.limits)}</td>
                <td>{t.users}</td>
                <td>{formatTime(t.updatedAt)}</td>
                <td className="inline">
                  <button type="button" className="secondary outline" aria-label={`Edit tier ${t.name}`}
                    onClick={() => setEditing({ name: t.name, tier: t })}>Edit</button>
                  <button type="button" className="secondary outline" aria-label={`Delete tier ${t.name}`}
                    disabled={remove.isPending || t.name === tiers.data.defaultTier || t.users > 0}
                    title={t.users > 0 ? 'Users have this tier' : t.name === tiers.data.defaultTier ? 'The default tier' : undefined}
                    onClick={() => window.confirm(`Delete tier ${t.name}?`) && remove.mutate(t.name)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {remove.isError && <ErrorNote error={remove.error} prefix="Tier not deleted" />}
      {tiers.data && !editing && (
        <button type="button" className="secondary" onClick={() => setEditing({ name: '', tier: null })}>New tier</button>
      )}
      {editing && <TierForm key={editing.name || '(new)'} tier={editing.tier} onClose={() => setEditing(null)} />}
    </section>
  );
}

function TierForm({ tier, onClose }: { tier: QuotaTier | null; onClose: () => void }) {
  const { service } = useAuth();
  const qc = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState(tier?.name ?? '');
  const [values, setValues] = useState(() => toValues(tier?.limits));
  const save = useMutation({
    mutationFn: () => service.putQuotaTier(name.trim(), toLimits(values)),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['admin', 'quota-tiers'] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) save.mutate();
  };
  const title = tier ? `Edit tier ${tier.name}` : 'New tier';
  return (
    <form onSubmit={submit} aria-label={title} noValidate>
      <h3>{title}</h3>
      {!tier && (
        <>
          <label htmlFor={nameId}>Tier name</label>
          <input id={nameId} value={name} required pattern="[a-z0-9_-]{1,32}" aria-describedby={nameId + '-hint'}
            aria-invalid={paramOf(save.error) === 'tier' || undefined} onChange={(e) => setName(e.target.value)} />
          <small id={nameId + '-hint'}>Lower-case letters, digits, _ and -; at most 32.</small>
        </>
      )}
      <LimitsFields idPrefix={`tier-${tier?.name ?? 'new'}`} values={values} onChange={setValues} param={paramOf(save.error)} emptyMeans="unlimited" />
      {save.isError && <ErrorNote error={save.error} prefix="Tier not saved" />}
      <div className="inline">
        <button type="submit" disabled={save.isPending || !name.trim()} aria-busy={save.isPending}>Save tier</button>
        <button type="button" className="secondary" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- one user

function UserQuotaPanel() {
  const { service } = useAuth();
  const inputId = useId();
  const [input, setInput] = useState('');
  const [userId, setUserId] = useState<string | null>(null);
  const quota = useQuery({
    queryKey: ['admin', 'quota-user', userId],
    queryFn: ({ signal }) => service.getUserQuota(userId!, signal),
    enabled: userId !== null,
  });
  return (
    <section aria-labelledby="user-quota-title">
      <h2 id="user-quota-title">User quota</h2>
      <form className="inline" role="search" onSubmit={(e) => { e.preventDefault(); if (input.trim()) setUserId(input.trim()); }}>
        <label htmlFor={inputId}>User id</label>
        <input id={inputId} value={input} onChange={(e) => setInput(e.target.value)} placeholder="demo-user" />
        <button type="submit" disabled={!input.trim()}>Look up</button>
      </form>
      {userId === null && <p>Enter a user id to see and change that user's tier, limits and counters.</p>}
      {userId !== null && quota.isPending && <p aria-busy="true">Loading the quota of {userId}…</p>}
      {quota.isError && <ErrorNote error={quota.error} prefix={`Could not load the quota of ${userId}`} />}
      {quota.data && <UserQuotaView key={quota.data.userId} quota={quota.data} />}
    </section>
  );
}

const WINDOWS: QuotaWindow[] = ['minute', 'day', 'month'];

function UserQuotaView({ quota }: { quota: UserQuota }) {
  const { service } = useAuth();
  const qc = useQueryClient();
  const tierId = useId();
  const tiers = useQuery({ queryKey: ['admin', 'quota-tiers'], queryFn: ({ signal }) => service.getQuotaTiers(signal) });
  const [tier, setTier] = useState(quota.tier);
  const [values, setValues] = useState(() => toValues(quota.overrides));
  const [windows, setWindows] = useState<QuotaWindow[]>([]);
  const done = (q: UserQuota) => qc.setQueryData(['admin', 'quota-user', quota.userId], q);
  const save = useMutation({ mutationFn: () => service.putUserQuota(quota.userId, { tier, limits: toLimits(values) }), onSuccess: done });
  const reset = useMutation({ mutationFn: () => service.resetUserQuota(quota.userId, windows), onSuccess: done });
  const tierNames = tiers.data?.tiers.map((t) => t.name) ?? [];
  if (!tierNames.includes(quota.tier)) tierNames.unshift(quota.tier);

  return (
    <article aria-labelledby="user-quota-of">
      <h3 id="user-quota-of">{quota.userId}</h3>
      <p>Tier <strong data-testid="user-tier">{quota.tier}</strong>; effective limits: {describeLimits(quota.effective)}.</p>
      <h4>Current usage</h4>
      <QuotaBars limits={quota.limits} emptyText="No limits apply to this user." />
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} aria-label={`Quota of ${quota.userId}`} noValidate>
        <h4>Tier and overrides</h4>
        <label htmlFor={tierId}>
          Tier
          <select id={tierId} value={tier} onChange={(e) => setTier(e.target.value)} aria-invalid={paramOf(save.error) === 'tier' || undefined}>
            {tierNames.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <LimitsFields idPrefix={`user-${quota.userId}`} values={values} onChange={setValues} param={paramOf(save.error)} emptyMeans="the tier's value" />
        {save.isError && <ErrorNote error={save.error} prefix="Quota not saved" />}
        {save.isSuccess && <p role="status">Quota saved.</p>}
        <button type="submit" disabled={save.isPending} aria-busy={save.isPending}>Save quota</button>
      </form>
      <form onSubmit={(e) => { e.preventDefault(); reset.mutate(); }} aria-label={`Reset counters of ${quota.userId}`}>
        <fieldset>
          <legend>Reset counters <small>(none ticked = every window)</small></legend>
          {WINDOWS.map((w) => (
            <label key={w}>
              <input type="checkbox" checked={windows.includes(w)}
                onChange={(e) => setWindows((ws) => (e.target.checked ? [...ws, w] : ws.filter((x) => x !== w)))} />
              {w}
            </label>
          ))}
        </fieldset>
        {reset.isError && <ErrorNote error={reset.error} prefix="Counters not reset" />}
        {reset.isSuccess && <p role="status">Counters reset.</p>}
        <button type="submit" className="secondary" disabled={reset.isPending} aria-busy={reset.isPending}>Reset counters</button>
      </form>
    </article>
  );
}
