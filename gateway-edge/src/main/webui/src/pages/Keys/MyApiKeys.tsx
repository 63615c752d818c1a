import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import type { CreatedApiKey } from '../../services/ai.service';

/** The caller's own API keys: list, create (the key is shown once, with a copy button), revoke. */
export function MyApiKeys() {
  const { service } = useAuth();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [copied, setCopied] = useState(false);
  const nameId = useId();

  const keys = useQuery({ queryKey: ['keys'], queryFn: ({ signal }) => service.listKeys(signal) });
  const create = useMutation({
    mutationFn: (n: string) => service.createKey(n),
    onSuccess: (k) => {
      setCreated(k);
      setCopied(false);
      setName('');
      qc.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => service.revokeKey(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['keys'] }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  };

  const copy = async () => {
    if (!created) return;
    await navigator.clipboard.writeText(created.key);
    setCopied(true);
  };

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">My API keys</h1>
      <form onSubmit={submit}>
        <label htmlFor={nameId}>Name of a new key</label>
        <fieldset role="group">
          <input id={nameId} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} required />
          <button type="submit" disabled={create.isPending || !name.trim()} aria-busy={create.isPending}>Create key</button>
        </fieldset>
      </form>
      {create.isError && <p role="alert" className="error">Not created: {create.error.message}</p>}
      {created && (
        <article role="status" aria-label="New key">
          <p>
            Your new key <strong>{created.name}</strong>. It is shown <strong>only this once</strong>: copy it now.
          </p>
          <code data-testid="new-key">{created.key}</code>{' '}
          <button type="button" className="secondary" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>{' '}
          <button type="button" className="outline" onClick={() => setCreated(null)}>Done</button>
        </article>
      )}
      {keys.isPending && <p aria-busy="true">Loading keys…</p>}
      {keys.isError && <p role="alert" className="error">Could not load your keys: {keys.error.message}</p>}
      {keys.data && keys.data.length === 0 && <p>You have no API keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <table>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Key id</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {keys.data.map((k) => {
              const revoked = !!k.revokedAt;
              const expired = !!k.expiresAt && new Date(k.expiresAt) < new Date();
              return (
                <tr key={k.keyId}>
                  <td>{k.name ?? '—'}</td>
                  <td><code>{k.keyId}</code></td>
                  <td>{new Date(k.createdAt).toLocaleString()}</td>
                  <td>{k.expiresAt ? new Date(k.expiresAt).toLocaleString() : 'never'}</td>
                  <td>{revoked ? 'revoked' : expired ? 'expired' : 'active'}</td>
                  <td>
                    {!revoked && (
                      <button type="button" className="secondary outline" disabled={revoke.isPending}
                        aria-label={`Revoke ${k.name ?? k.keyId}`}
                        onClick={() => { if (window.confirm(`Revoke the key "${k.name ?? k.keyId}"? Programs using it stop working.`)) revoke.mutate(k.keyId); }}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {revoke.isError && <p role="alert" className="error">Not revoked: {revoke.error.message}</p>}
    </section>
  );
}
