import type { QuotaLimit } from '../../services/ai.service';

/** One <progress> per quota limit: used (+ reserved) of the limit, and when it resets. */
export function QuotaBars({ limits, emptyText = 'No quota limits apply to you.' }: { limits: QuotaLimit[]; emptyText?: string }) {
  if (limits.length === 0) return <p>{emptyText}</p>;
  return (
    <ul className="quota-bars">
      {limits.map((l) => {
        const limit = Number(l.limit);
        const used = Number(l.used) + Number(l.reserved || 0);
        const label = `${l.metric} per ${l.window}`;
        return (
          <li key={l.window + l.metric}>
            <span>
              {label}: {fmt(used)} of {fmt(limit)} used, {fmt(Number(l.remaining))} left
              {l.resetsAt && <small> (resets {new Date(l.resetsAt).toLocaleString()})</small>}
            </span>
            <progress aria-label={label} value={Math.min(used, limit)} max={limit > 0 ? limit : 1} />
          </li>
        );
      })}
    </ul>
  );
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}
