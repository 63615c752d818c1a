import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AuthCtx, type Auth, type Session } from '../auth/AuthContext';
import { AiService } from '../services/ai.service';
import { DEFAULT_CONFIG } from '../config';

/** A fetch that answers by "METHOD path" (query string ignored unless the key has one); unknown → 404. */
export type Handler = (req: { url: string; init: RequestInit; body: unknown }) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function envelope(status: number, message: string, code = 'x'): Response {
  return json({ error: { message, type: 'api_error', param: null, code } }, status);
}

export function fakeFetch(routes: Record<string, Handler>) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const calls: { method: string; url: string; body: any; headers: Headers; cache?: RequestCache }[] = [];
  const fn = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const u = new URL(url, 'http://ui.test');
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body, headers: new Headers(init.headers), cache: init.cache });
    const h = routes[`${method} ${u.pathname}${u.search}`] ?? routes[`${method} ${u.pathname}`];
    if (!h) return envelope(404, `no route ${method} ${u.pathname}`);
    return h({ url, init, body });
  };
  return { fetch: fn as typeof fetch, calls };
}

/** Never answers (the loading state). */
export const pending: Handler = () => new Promise<Response>(() => {});

export function renderWithAuth(ui: ReactElement, routes: Record<string, Handler>, opts: { session?: Session; roles?: string[] } = {}) {
  const f = fakeFetch(routes);
  const session: Session = opts.session ?? { kind: 'apiKey', key: 'aigw_test_key_1234' };
  const service = new AiService({ adminUrl: 'http://admin.test', getToken: () => (session.kind === 'apiKey' ? session.key : null), fetchImpl: f.fetch });
  const auth: Auth = {
    config: DEFAULT_CONFIG,
    ready: true,
    session,
    service,
    who: 'tester',
    roles: opts.roles ?? [],
    signInWithKey: vi.fn(),
    signInWithOidc: vi.fn(),
    completeSignIn: vi.fn(),
    signOut: vi.fn(),
  };
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const r = render(
    <QueryClientProvider client={qc}>
      <AuthCtx.Provider value={auth}>
        <MemoryRouter>{ui}</MemoryRouter>
      </AuthCtx.Provider>
    </QueryClientProvider>,
  );
  return { ...r, calls: f.calls, service };
}

export function sseResponse(events: { event: string; data: unknown }[], chunkSplit = 7): Response {
  const text = events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join('');
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += chunkSplit) c.enqueue(bytes.slice(i, i + chunkSplit));
      c.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
}

export const MODEL = {
  id: 'fake/fake-chat',
  provider: 'fake',
  displayName: 'Fake chat',
  description: 'A test model',
  contextWindow: 8192,
  capabilities: { streaming: true, tools: false, json: true, vision: false },
  pricing: { promptPer1k: '0.001', completionPer1k: '0.002', currency: 'USD' },
  performance: { avgLatencyMs: 40, p95LatencyMs: 90, ttftMsP50: 20, successRate: 0.995, requests: 200, window: '1h' },
  availability: { status: 'available', health: 'healthy', breaker: 'CLOSED' },
  recommended: { value: true, contexts: ['writing'] },
};

export const MODEL_DOWN = {
  ...MODEL,
  id: 'fakeb/fake-chat',
  provider: 'fakeb',
  displayName: 'Fake B',
  performance: { ...MODEL.performance, requests: 0 },
  availability: { status: 'unavailable', health: 'unhealthy', breaker: 'OPEN' },
  recommended: { value: false, contexts: [] },
};

export const DONE = {
  requestId: 'req-1',
  provider: 'fake',
  model: 'fake-chat',
  usage: { promptTokens: 12, completionTokens: 8, totalTokens: 20 },
  costUsd: 0.000028,
  latencyMs: 42,
  cached: false,
  attempts: [],
};

export const NO_PREFS = { preferences: [], defaults: { policy: 'cost', model: 'chat-default' } };
