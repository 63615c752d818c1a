import { screen } from '@testing-library/react';
import { UsageStats, defaultRange, totals } from './UsageStats';
import { envelope, json, pending, renderWithAuth } from '../../test/render';

const day = (date: string, requests: number, cost: string, cached = 0) => ({
  date, requests, promptTokens: requests * 10, completionTokens: requests * 5, costUsd: cost, costSavedUsd: '0.001', cachedRequests: cached,
});
const LIMITS = [{ window: 'day', metric: 'requests', limit: 100, used: 30, reserved: 0, remaining: 70, resetsAt: '2026-12-04T00:00:00Z' }];

describe('UsageStats', () => {
  it('loading', () => {
    renderWithAuth(<UsageStats />, { 'GET /api/v1/ai/usage': pending });
    expect(screen.getByText(/loading usage/i)).toBeInTheDocument();
  });

  it('error', async () => {
    renderWithAuth(<UsageStats />, { 'GET /api/v1/ai/usage': () => envelope(503, 'Usage data is unavailable right now; please retry.') });
    expect(await screen.findByRole('alert')).toHaveTextContent('Usage data is unavailable');
  });

  it('empty', async () => {
    renderWithAuth(<UsageStats />, {
      'GET /api/v1/ai/usage': () => json({ userId: 'u', tier: 'free', limits: [], today: null, month: null, byModel: [], days: [day('2026-12-01', 0, '0')] }),
    });
    expect(await screen.findByTestId('usage-empty')).toBeInTheDocument();
    expect(screen.getByText(/no usage this month/i)).toBeInTheDocument();
    expect(screen.getByText(/no quota limits/i)).toBeInTheDocument();
  });

  it('data: totals, charts, by model and quota', async () => {
    const { calls } = renderWithAuth(<UsageStats />, {
      'GET /api/v1/ai/usage': () => json({
        userId: 'u', tier: 'pro', limits: LIMITS, today: null, month: null,
        byModel: [{ provider: 'fake', model: 'fake-chat', requests: 4, tokens: 60, costUsd: '0.004' }],
        days: [day('2026-12-01', 3, '0.003', 1), day('2026-12-02', 1, '0.001')],
      }),
    });
    const totalsList = await screen.findByRole('list', { name: 'Totals for the range' });
    expect(totalsList).toHaveTextContent('Requests4');
    expect(totalsList).toHaveTextContent('Tokens60');
    expect(totalsList).toHaveTextContent('Cache hit rate25.0 %');
    expect(screen.getByTestId('chart-days')).toBeInTheDocument();
    expect(screen.getByTestId('chart-providers')).toBeInTheDocument();
    expect(screen.getByRole('table')).toHaveTextContent('fake/fake-chat');
    expect(screen.getByRole('progressbar', { name: 'requests per day' })).toHaveAttribute('value', '30');
    expect(screen.getByText(/tier pro/)).toBeInTheDocument();
    expect(calls[0].url).toMatch(/\/api\/v1\/ai\/usage\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d/);
  });

  it('range and totals helpers', () => {
    expect(defaultRange(new Date('2026-12-07T12:00:00Z'))).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(totals({ userId: 'u', tier: null, limits: [], today: null, month: null, byModel: [] }).cacheHitRate).toBeNull();
  });
});
