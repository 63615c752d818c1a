import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdminProviders } from './AdminProviders';
import { AdminUsage } from './AdminUsage';
import { AdminQuotas } from './AdminQuotas';
import { AdminAudit } from './AdminAudit';
import { AdminHealth } from './AdminHealth';
import { envelope, json, pending, renderWithAuth } from '../../test/render';

const PROVIDER = {
  id: 'fakeb', kind: 'openai', displayName: 'Fake B', enabled: true, healthy: false, priority: 0,
  models: [{ id: 'fake-chat', displayName: null, contextWindow: 8192, promptPricePer1k: 0.001, completionPricePer1k: 0.002, enabled: true }],
  breaker: 'OPEN', today: null, notes: ['usage-service unavailable: today unknown'],
};

function badRequest(message: string, param: string) {
  return json({ error: { message, type: 'invalid_request_error', param, code: 'invalid_value' } }, 400);
}

describe('AdminProviders: breaker and prices', () => {
  it('shows the open breaker and resets it', async () => {
    const { calls } = renderWithAuth(<AdminProviders />, {
      'GET /api/v1/ai/admin/providers': () => json([PROVIDER]),
      'POST /api/v1/ai/admin/breakers/fakeb/reset': () => json({ provider: 'fakeb', routing: { provider: 'fakeb', state: 'CLOSED' }, published: true, requestedAt: 'x' }),
    });
    expect(await screen.findByTestId('breaker-fakeb')).toHaveTextContent('OPEN');
    expect(screen.getByText('unhealthy')).toBeInTheDocument();
    expect(screen.getByText(/usage-service unavailable/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reset breaker of fakeb' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Breaker of fakeb reset (now CLOSED)');
    expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/breakers/fakeb/reset'))).toBe(true);
  });

  it('edits a price: sends only the change, shows a 400 with its param and marks the field', async () => {
    let attempt = 0;
    const { calls } = renderWithAuth(<AdminProviders />, {
      'GET /api/v1/ai/admin/providers': () => json([PROVIDER]),
      'PATCH /api/v1/ai/admin/providers/fakeb': () => (++attempt === 1
        ? badRequest("'models.fake-chat.promptPricePer1k' must be at least 0.", 'models.fake-chat.promptPricePer1k')
        : json({ ...PROVIDER, published: false })),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit prices of fakeb' }));
    expect(screen.getByRole('heading', { name: 'Prices of Fake B' })).toBeInTheDocument();
    const prompt = screen.getByLabelText('Prompt price per 1K of fake-chat');
    expect(prompt).toHaveValue('0.001');
    await userEvent.clear(prompt);
    await userEvent.type(prompt, '-1');
    await userEvent.click(screen.getByRole('button', { name: 'Save prices' }));
    expect(await screen.findByTestId('error-param')).toHaveTextContent('models.fake-chat.promptPricePer1k');
    expect(prompt).toHaveAttribute('aria-invalid', 'true');
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ models: { 'fake-chat': { promptPricePer1k: '-1' } } });
    await userEvent.clear(prompt);
    await userEvent.type(prompt, '0.0015');
    await userEvent.click(screen.getByRole('button', { name: 'Save prices' }));
    expect(await screen.findByText(/Prices saved, not yet published/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH')[1].body).toEqual({ models: { 'fake-chat': { promptPricePer1k: '0.0015' } } });
  });
});

const USAGE_ROW = { requests: 7, errors: 1, cachedRequests: 2, promptTokens: 100, completionTokens: 50, costUsd: '0.25', costSavedUsd: '0.01', avgLatencyMs: 30, p95LatencyMs: 80 };

describe('AdminUsage', () => {
  it('loading, error, empty', async () => {
    const a = renderWithAuth(<AdminUsage />, { 'GET /api/v1/ai/admin/usage': pending });
    expect(screen.getByText(/loading usage/i)).toBeInTheDocument();
    a.unmount();
    const b = renderWithAuth(<AdminUsage />, { 'GET /api/v1/ai/admin/usage': () => badRequest("Unknown query parameter 'x'.", 'x') });
    expect(await screen.findByRole('alert')).toHaveTextContent("Unknown query parameter 'x'.");
    expect(screen.getByTestId('error-param')).toHaveTextContent('x');
    b.unmount();
    renderWithAuth(<AdminUsage />, { 'GET /api/v1/ai/admin/usage': () => json({ from: 'a', to: 'b', groupBy: ['user'], rows: [], nextCursor: null }) });
    expect(await screen.findByText(/no usage in this range/i)).toBeInTheDocument();
  });

  it('by user, then by model, over the chosen range, as a table and a chart', async () => {
    const { calls } = renderWithAuth(<AdminUsage />, {
      'GET /api/v1/ai/admin/usage': ({ url }) => json({
        from: 'a', to: 'b', groupBy: [], nextCursor: null,
        rows: new URL(url).searchParams.get('groupBy') === 'user'
          ? [{ userId: 'alice', ...USAGE_ROW }]
          : [{ provider: 'fake', model: 'fake-chat', ...USAGE_ROW }],
      }),
    });
    expect(await screen.findByRole('rowheader', { name: 'alice' })).toBeInTheDocument();
    expect(screen.getByTestId('chart-admin-usage')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: '$0.25' })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-30' } });
    await userEvent.selectOptions(screen.getByLabelText('Group by'), 'model');
    expect(await screen.findByRole('rowheader', { name: 'fake/fake-chat' })).toBeInTheDocument();
    const last = new URL(calls[calls.length - 1].url);
    expect(last.searchParams.get('groupBy')).toBe('provider,model');
    expect(last.searchParams.get('from')).toBe('2026-11-01');
    // the To date is included: the API gets the start of the next day (its `to` is exclusive), across a month end
    expect(last.searchParams.get('to')).toBe('2026-12-01');
  });
});

const TIERS = {
  defaultTier: 'free',
  tiers: [
    { name: 'free', limits: { requestsPerDay: 100 }, users: 0, updatedAt: null },
    { name: 'pro', limits: { requestsPerMinute: 60, spendUsdPerDay: '5.00' }, users: 3, updatedAt: '2026-12-01T00:00:00Z' },
    { name: 'team', limits: {}, users: 0, updatedAt: null },
  ],
};
const USER = {
  userId: 'demo-user', tier: 'pro', overrides: { spendUsdPerDay: '2.00' }, effective: { requestsPerMinute: 60, spendUsdPerDay: '2.00' },
  limits: [{ window: 'minute', metric: 'requests', limit: 60, used: 3, reserved: 0, remaining: 57, resetsAt: '2026-12-03T10:01:00Z' }],
};

describe('AdminQuotas', () => {
  it('tiers: loading, error, empty', async () => {
    const a = renderWithAuth(<AdminQuotas />, { 'GET /api/v1/ai/admin/quotas/tiers': pending });
    expect(screen.getByText(/loading tiers/i)).toBeInTheDocument();
    expect(screen.getByText(/enter a user id/i)).toBeInTheDocument();
    a.unmount();
    const b = renderWithAuth(<AdminQuotas />, { 'GET /api/v1/ai/admin/quotas/tiers': () => envelope(503, 'usage-service unavailable') });
    expect(await screen.findByRole('alert')).toHaveTextContent('usage-service unavailable');
    b.unmount();
    renderWithAuth(<AdminQuotas />, { 'GET /api/v1/ai/admin/quotas/tiers': () => json({ defaultTier: 'free', tiers: [] }) });
    expect(await screen.findByText(/no tiers are defined/i)).toBeInTheDocument();
  });

  it('lists tiers, edits one (param of a 400 shown), adds one and deletes an unused one', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    let puts = 0;
    const { calls } = renderWithAuth(<AdminQuotas />, {
      'GET /api/v1/ai/admin/quotas/tiers': () => json(TIERS),
      'PUT /api/v1/ai/admin/quotas/tiers/pro': ({ body }) => (++puts === 1
        ? badRequest("'limits.spendUsdPerDay' must be an amount in USD.", 'limits.spendUsdPerDay')
        : json({ name: 'pro', ...(body as object), users: 3, updatedAt: null })),
      'PUT /api/v1/ai/admin/quotas/tiers/gold': ({ body }) => json({ name: 'gold', ...(body as object), users: 0, updatedAt: null }),
      'DELETE /api/v1/ai/admin/quotas/tiers/team': () => new Response(null, { status: 204 }),
    });
    const pro = (await screen.findByRole('rowheader', { name: 'pro' })).closest('tr')!;
    expect(within(pro).getByText(/requests per minute: 60/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete tier pro' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete tier free' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Edit tier pro' }));
    const form = screen.getByRole('form', { name: 'Edit tier pro' });
    const spend = within(form).getByLabelText('Spend per day (USD)');
    expect(spend).toHaveValue('5.00');
    await userEvent.clear(spend);
    await userEvent.type(spend, 'lots');
    await userEvent.click(within(form).getByRole('button', { name: 'Save tier' }));
    expect(await within(form).findByTestId('error-param')).toHaveTextContent('limits.spendUsdPerDay');
    expect(spend).toHaveAttribute('aria-invalid', 'true');
    await userEvent.clear(spend);
    await userEvent.type(spend, '7.50');
    await userEvent.click(within(form).getByRole('button', { name: 'Save tier' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit tier pro' })).toBeNull());
    expect(calls.filter((c) => c.method === 'PUT')[1].body).toEqual({ limits: { requestsPerMinute: 60, spendUsdPerDay: '7.50' } });

    await userEvent.click(screen.getByRole('button', { name: 'New tier' }));
    await userEvent.type(screen.getByLabelText('Tier name'), 'gold');
    await userEvent.type(within(screen.getByRole('form', { name: 'New tier' })).getByLabelText('Tokens per day'), '2000000');
    await userEvent.click(screen.getByRole('button', { name: 'Save tier' }));
    await waitFor(() => expect(calls.find((c) => c.url.endsWith('/tiers/gold'))?.body).toEqual({ limits: { tokensPerDay: 2000000 } }));

    await userEvent.click(screen.getByRole('button', { name: 'Delete tier team' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/tiers/team'))).toBe(true));
  });

  it('a user: looks up, shows counters, changes tier and overrides, resets a window', async () => {
    const { calls } = renderWithAuth(<AdminQuotas />, {
      'GET /api/v1/ai/admin/quotas/tiers': () => json(TIERS),
      'GET /api/v1/ai/admin/quotas/users/demo-user': () => json(USER),
      'PUT /api/v1/ai/admin/quotas/users/demo-user': ({ body }) => json({ ...USER, tier: (body as { tier: string }).tier, overrides: (body as { limits: object }).limits }),
      'POST /api/v1/ai/admin/quotas/users/demo-user/reset': () => json({ ...USER, limits: [{ ...USER.limits[0], used: 0, remaining: 60 }] }),
    });
    await userEvent.type(screen.getByLabelText('User id'), 'demo-user');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByTestId('user-tier')).toHaveTextContent('pro');
    expect(screen.getByRole('progressbar', { name: 'requests per minute' })).toHaveAttribute('value', '3');
    const form = screen.getByRole('form', { name: 'Quota of demo-user' });
    expect(within(form).getByLabelText('Spend per day (USD)')).toHaveValue('2.00');
    await waitFor(() => expect(within(form).getByRole('option', { name: 'team' })).toBeInTheDocument());
    await userEvent.selectOptions(within(form).getByLabelText('Tier'), 'team');
    await userEvent.type(within(form).getByLabelText('Requests per day'), '500');
    await userEvent.click(within(form).getByRole('button', { name: 'Save quota' }));
    expect(await screen.findByText('Quota saved.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ tier: 'team', limits: { requestsPerDay: 500, spendUsdPerDay: '2.00' } });

    await userEvent.click(screen.getByRole('checkbox', { name: 'day' }));
    await userEvent.click(screen.getByRole('button', { name: 'Reset counters' }));
    expect(await screen.findByText('Counters reset.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ windows: ['day'] });
  });

  it('a user that cannot be loaded', async () => {
    renderWithAuth(<AdminQuotas />, {
      'GET /api/v1/ai/admin/quotas/tiers': () => json(TIERS),
      'GET /api/v1/ai/admin/quotas/users/bob': pending,
      'GET /api/v1/ai/admin/quotas/users/eve': () => envelope(502, 'usage-service refused the credential.'),
    });
    await userEvent.type(screen.getByLabelText('User id'), 'bob');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByText(/loading the quota of bob/i)).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('User id'));
    await userEvent.type(screen.getByLabelText('User id'), 'eve');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('usage-service refused the credential.');
  });
});

const AUDIT = {
  id: 42, at: '2026-12-03T10:00:00.123456Z', actor: 'key_abc', actorUser: 'admin', action: 'provider.patch', target: 'provider:fakeb',
  before: { enabled: true }, after: { enabled: false }, status: 200, requestId: 'r1',
};

describe('AdminAudit', () => {
  it('loading, error, empty', async () => {
    const a = renderWithAuth(<AdminAudit />, { 'GET /api/v1/ai/admin/audit': pending });
    expect(screen.getByText(/loading the audit log/i)).toBeInTheDocument();
    a.unmount();
    const b = renderWithAuth(<AdminAudit />, { 'GET /api/v1/ai/admin/audit': () => badRequest("'limit' must be 1 to 1000.", 'limit') });
    expect(await screen.findByRole('alert')).toHaveTextContent("'limit' must be 1 to 1000.");
    b.unmount();
    renderWithAuth(<AdminAudit />, { 'GET /api/v1/ai/admin/audit': () => json({ rows: [], nextCursor: null }) });
    expect(await screen.findByText(/no audit entries match/i)).toBeInTheDocument();
  });

  it('lists entries, filters, and pages forward and back', async () => {
    const { calls } = renderWithAuth(<AdminAudit />, {
      'GET /api/v1/ai/admin/audit': ({ url }) => (new URL(url).searchParams.get('cursor') === 'c2'
        ? json({ rows: [{ ...AUDIT, id: 41, action: 'key.create', target: 'key:key_x' }], nextCursor: null })
        : json({ rows: [AUDIT], nextCursor: 'c2' })),
    });
    expect(await screen.findByText('provider.patch', { selector: 'code' })).toBeInTheDocument();
    expect(screen.getByText('provider:fakeb')).toBeInTheDocument();
    expect(screen.getByText('Before and after')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('key:key_x')).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('provider:fakeb')).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Action'), 'breaker.reset');
    await userEvent.type(screen.getByLabelText('Target'), 'provider:fakeb');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => {
      const u = new URL(calls[calls.length - 1].url);
      expect(u.searchParams.get('action')).toBe('breaker.reset');
      expect(u.searchParams.get('target')).toBe('provider:fakeb');
      expect(u.searchParams.has('cursor')).toBe(false);
      expect(u.searchParams.has('actor')).toBe(false);
    });
  });
});

const EVENT = {
  eventId: 'e1', provider: 'fakeb', type: 'transition', healthy: false, previousHealthy: true, detail: 'connect refused',
  latencyMs: null, consecutiveFailures: 3, checkedAt: '2026-12-03T10:00:00Z', occurredAt: '2026-12-03T10:00:00Z', instance: 'r1',
};
const ALERT = { alertId: 'a1', type: 'provider_unhealthy', subject: 'fakeb', occurredAt: '2026-12-03T10:00:01Z', payload: { provider: 'fakeb' } };

describe('AdminHealth', () => {
  it('loading, error and empty for both lists', async () => {
    const a = renderWithAuth(<AdminHealth />, {
      'GET /api/v1/ai/admin/providers': () => json([]),
      'GET /api/v1/ai/admin/health/history': pending,
      'GET /api/v1/ai/admin/alerts': pending,
    });
    expect(screen.getByText(/loading the health history/i)).toBeInTheDocument();
    expect(screen.getByText(/loading alerts/i)).toBeInTheDocument();
    a.unmount();
    const b = renderWithAuth(<AdminHealth />, {
      'GET /api/v1/ai/admin/providers': () => json([]),
      'GET /api/v1/ai/admin/health/history': () => envelope(503, 'usage-service unavailable'),
      'GET /api/v1/ai/admin/alerts': () => envelope(504, 'usage-service did not answer in time'),
    });
    await waitFor(() => expect(screen.getAllByRole('alert').map((x) => x.textContent).join(' ')).toMatch(/usage-service unavailable.*did not answer in time/));
    b.unmount();
    renderWithAuth(<AdminHealth />, {
      'GET /api/v1/ai/admin/providers': () => json([]),
      'GET /api/v1/ai/admin/health/history': () => json({ rows: [], nextCursor: null }),
      'GET /api/v1/ai/admin/alerts': () => json({ rows: [], nextCursor: null }),
    });
    expect(await screen.findByText('No health events.')).toBeInTheDocument();
    expect(await screen.findByText('No alerts.')).toBeInTheDocument();
  });

  it('shows events and alerts, filters by provider and by alert type', async () => {
    const { calls } = renderWithAuth(<AdminHealth />, {
      'GET /api/v1/ai/admin/providers': () => json([PROVIDER]),
      'GET /api/v1/ai/admin/health/history': () => json({ rows: [EVENT], nextCursor: null }),
      'GET /api/v1/ai/admin/alerts': () => json({ rows: [ALERT], nextCursor: null }),
    });
    expect(await screen.findByText('connect refused')).toBeInTheDocument();
    expect(screen.getByText('(was healthy)')).toBeInTheDocument();
    expect(await screen.findByText('provider_unhealthy', { selector: 'code' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('option', { name: 'fakeb' })).toBeInTheDocument());
    await userEvent.selectOptions(screen.getByLabelText('Provider'), 'fakeb');
    await waitFor(() => expect(calls.some((c) => c.url.includes('/health/history?provider=fakeb'))).toBe(true));
    await userEvent.type(screen.getByLabelText('Type'), 'quota_threshold');
    await userEvent.click(screen.getByRole('button', { name: 'Filter alerts' }));
    await waitFor(() => expect(calls.some((c) => c.url.includes('/alerts?type=quota_threshold'))).toBe(true));
  });
});
