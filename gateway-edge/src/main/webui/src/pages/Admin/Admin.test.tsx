import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdminProviders } from './AdminProviders';
import { AdminCosts } from './AdminCosts';
import { envelope, json, pending, renderWithAuth } from '../../test/render';

const PROVIDER = {
  id: 'fakeb', kind: 'openai', displayName: 'Fake B', enabled: true, healthy: true, priority: 0,
  models: [{ id: 'fake-chat', displayName: null, contextWindow: 8192, promptPricePer1k: 0.001, completionPricePer1k: 0.002, enabled: true }],
  breaker: 'CLOSED', today: { requests: 5, errors: 1, errorRate: 0.2, p95LatencyMs: 80, costUsd: '0.01' },
};

describe('AdminProviders', () => {
  it('loading, error, empty', async () => {
    const a = renderWithAuth(<AdminProviders />, { 'GET /api/v1/ai/admin/providers': pending });
    expect(screen.getByText(/loading providers/i)).toBeInTheDocument();
    a.unmount();
    const b = renderWithAuth(<AdminProviders />, { 'GET /api/v1/ai/admin/providers': () => envelope(403, 'Forbidden.') });
    expect(await screen.findByRole('alert')).toHaveTextContent('Forbidden.');
    b.unmount();
    renderWithAuth(<AdminProviders />, { 'GET /api/v1/ai/admin/providers': () => json([]) });
    expect(await screen.findByText(/no providers/i)).toBeInTheDocument();
  });

  it('lists providers and disables one', async () => {
    const { calls } = renderWithAuth(<AdminProviders />, {
      'GET /api/v1/ai/admin/providers': () => json([PROVIDER]),
      'PATCH /api/v1/ai/admin/providers/fakeb': () => json({ ...PROVIDER, enabled: false }),
    });
    const sw = await screen.findByRole('switch', { name: 'Disable fakeb' });
    expect(sw).toBeChecked();
    expect(screen.getByText('healthy')).toBeInTheDocument();
    expect(screen.getByText(/5 req, 1 err/)).toBeInTheDocument();
    await userEvent.click(sw);
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false }));
    expect(calls[0].url).toBe('http://admin.test/api/v1/ai/admin/providers');
  });
});

describe('AdminCosts', () => {
  it('shows the total, projection and chart, and downloads the CSV', async () => {
    const createObjectURL = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWithAuth(<AdminCosts />, {
      'GET /api/v1/ai/admin/costs': ({ url }) => url.includes('format=csv')
        ? new Response('provider,day,costUsd\r\n', { headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="costs.csv"' } })
        : json({ from: '2026-12-01', to: '2026-12-03', groupBy: ['day'], currency: 'USD', totalUsd: '1.50', costSavedUsd: '0.10',
          rows: [{ day: '2026-12-01', costUsd: '1.00' }, { day: '2026-12-02', costUsd: '0.50' }],
          projection: { method: 'trailing-7d', projectedMonthEndUsd: '9.75' } }),
    });
    expect(await screen.findByTestId('projection')).toHaveTextContent('$9.75');
    expect(screen.getByText(/Total \$1.50/)).toBeInTheDocument();
    expect(screen.getByTestId('chart-costs')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(createObjectURL).toHaveBeenCalled();
  });

  it('empty and error', async () => {
    const a = renderWithAuth(<AdminCosts />, { 'GET /api/v1/ai/admin/costs': () => json({ totalUsd: '0', costSavedUsd: '0', rows: [], projection: null }) });
    expect(await screen.findByText(/no costs in this range/i)).toBeInTheDocument();
    a.unmount();
    renderWithAuth(<AdminCosts />, { 'GET /api/v1/ai/admin/costs': () => envelope(503, 'usage-service unavailable') });
    expect(await screen.findByRole('alert')).toHaveTextContent('usage-service unavailable');
  });
});
