import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthContext';
import type { AuditQuery } from '../../services/ai.service';
import { ErrorNote, Pager, formatTime, useCursorPages } from './common';

export const AUDIT_ACTIONS = [
  'key.create', 'key.revoke', 'provider.patch', 'provider.toggle', 'group.put', 'group.delete',
  'quota.tier.put', 'quota.tier.delete', 'quota.user.put', 'quota.user.reset', 'quota.key.put', 'quota.key.delete', 'quota.key.reset',
  'cache.invalidate', 'cache.warm', 'breaker.reset',
];

const PAGE_SIZE = 50;

/** Admin: the audit log (admin-service GET /audit), newest first, filtered by actor, action, target and dates, paged. */
export function AdminAudit() {
  const { service } = useAuth();
  const ids = { actor: useId(), action: useId(), target: useId(), from: useId(), to: useId() };
  const empty = { actor: '', action: '', target: '', from: '', to: '' };
  const [draft, setDraft] = useState(empty);
  const [filters, setFilters] = useState(empty);
  const pages = useCursorPages();
  const q: AuditQuery = { ...filters, cursor: pages.cursor, limit: PAGE_SIZE };
  const audit = useQuery({ queryKey: ['admin', 'audit', q], queryFn: ({ signal }) => service.getAudit(q, signal) });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    pages.reset();
  };
  const field = (k: keyof typeof empty) => ({ value: draft[k], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value }) });

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form onSubmit={apply} aria-label="Audit filters">
        <div className="limits-grid">
          <label htmlFor={ids.actor}>Actor<input id={ids.actor} placeholder="key id or user id" {...field('actor')} /></label>
          <label htmlFor={ids.action}>Action
            <select id={ids.action} {...field('action')}>
              <option value="">Any</option>
              {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </label>
          <label htmlFor={ids.target}>Target<input id={ids.target} placeholder="provider:fakeb" {...field('target')} /></label>
          <label htmlFor={ids.from}>From<input id={ids.from} type="date" {...field('from')} /></label>
          <label htmlFor={ids.to}>To<input id={ids.to} type="date" {...field('to')} /></label>
        </div>
        <div className="inline">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={() => { setDraft(empty); setFilters(empty); pages.reset(); }}>Clear filters</button>
        </div>
      </form>
      {audit.isPending && <p aria-busy="true">Loading the audit log…</p>}
      {audit.isError && <ErrorNote error={audit.error} prefix="Could not load the audit log" />}
      {audit.data && audit.data.rows.length === 0 && <p>No audit entries match.</p>}
      {audit.data && audit.data.rows.length > 0 && (
        <div className="overflow-auto">
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Status</th><th scope="col">Change</th></tr>
            </thead>
            <tbody>
              {audit.data.rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatTime(r.at)}</td>
                  <td>{r.actorUser ?? r.actor}{r.actorUser && <small> <code>{r.actor}</code></small>}</td>
                  <td><code>{r.action}</code></td>
                  <td>{r.target ?? '—'}</td>
                  <td>{r.status}</td>
                  <td>
                    {r.before == null && r.after == null ? '—' : (
                      <details>
                        <summary>Before and after</summary>
                        <pre className="json">{JSON.stringify({ before: r.before, after: r.after }, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audit.data && <Pager pages={pages} nextCursor={audit.data.nextCursor} label="Audit pages" />}
    </section>
  );
}
