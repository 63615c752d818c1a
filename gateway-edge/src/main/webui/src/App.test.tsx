import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { AuthCtx, type Auth } from './auth/AuthContext';
import { AiService } from './services/ai.service';
import { DEFAULT_CONFIG } from './config';
import { NO_PREFS, fakeFetch, json } from './test/render';

function renderApp(path: string, auth: Partial<Auth>) {
  const f = fakeFetch({
    'GET /api/v1/ai/models': () => json({ models: [], groups: [] }),
    'GET /api/v1/ai/preferences': () => json(NO_PREFS),
    'GET /api/v1/ai/keys': () => json({ data: [] }),
  });
  const value: Auth = {
    config: { ...DEFAULT_CONFIG, oidcIssuer: 'http://kc.test/realms/aigw' },
    ready: true,
    session: { kind: 'none' },
    service: new AiService({ getToken: () => null, fetchImpl: f.fetch }),
    who: null, roles: [],
    signInWithKey: vi.fn(), signInWithOidc: vi.fn(), completeSignIn: vi.fn(), signOut: vi.fn(),
    ...auth,
  };
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AuthCtx.Provider value={value}>
        <MemoryRouter initialEntries={[path]}><App /></MemoryRouter>
      </AuthCtx.Provider>
    </QueryClientProvider>,
  );
}

describe('App', () => {
  it('sends an anonymous deep link to sign-in, with both ways offered', () => {
    renderApp('/settings', {});
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in with your account' })).toBeInTheDocument();
    expect(screen.getByLabelText('Or paste an API key')).toBeInTheDocument();
  });

  it('shows admin pages only to the admin role', () => {
    renderApp('/admin/providers', { session: { kind: 'oidc', user: {} as never }, roles: ['user'] });
    expect(screen.getByRole('alert')).toHaveTextContent('needs the admin role');
    expect(screen.queryByRole('link', { name: 'Providers' })).toBeNull();
  });

  it('offers the admin console to an admin', () => {
    renderApp('/keys', { session: { kind: 'oidc', user: {} as never }, roles: ['admin', 'user'], who: 'admin' });
    expect(screen.getByRole('link', { name: 'Providers' })).toBeInTheDocument();
    for (const name of ['Costs', 'Analytics', 'Quotas', 'Audit', 'Health']) {
      expect(screen.getByRole('link', { name })).toBeInTheDocument();
    }
    expect(screen.getByRole('heading', { name: 'My API keys' })).toBeInTheDocument();
  });

  it('waits for a stored OIDC session before deciding a page needs sign-in (a reload stays on the page)', () => {
    renderApp('/settings', { ready: false });
    expect(screen.getByText('Loading…')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Sign in' })).toBeNull();
  });
});
