import { useState } from 'react';
import { ApiError } from '../../services/ai.service';

/** An error from the admin API, with the field it names (`param` of the OpenAI envelope) when there is one. */
export function ErrorNote({ error, prefix }: { error: Error; prefix: string }) {
  const param = error instanceof ApiError ? error.param : null;
  return (
    <p role="alert" className="error">
      {prefix}: {error.message}
      {param && <> (field <code data-testid="error-param">{param}</code>)</>}
    </p>
  );
}

/** The `param` of a 400, or null. */
export function paramOf(error: unknown): string | null {
  return error instanceof ApiError ? error.param : null;
}

/**
 * Cursor paging over a newest-first list: the cursors of the pages seen so far, so "Previous page" goes back and
 * "Next page" follows the answer's `nextCursor`.
 */
export function useCursorPages() {
  const [stack, setStack] = useState<string[]>([]);
  const cursor = stack.length ? stack[stack.length - 1] : undefined;
  return {
    cursor,
    page: stack.length + 1,
    next: (nextCursor: string) => setStack((s) => [...s, nextCursor]),
    previous: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

export function Pager({ pages, nextCursor, label }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined; label: string }) {
  return (
    <nav aria-label={label} className="inline">
      <button type="button" className="secondary" disabled={pages.page === 1} onClick={pages.previous}>Previous page</button>
      <span>Page {pages.page}</span>
      <button type="button" className="secondary" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>Next page</button>
    </nav>
  );
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The day after an ISO date (YYYY-MM-DD): the exclusive end the admin API wants for an inclusive "To" date. */
export function dayAfter(date: string): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
}

export function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
