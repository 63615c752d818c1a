import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AISettings } from './AISettings';
import { MODEL, NO_PREFS, envelope, json, pending, renderWithAuth } from '../../test/render';

const LIMITS = [{ window: 'month', metric: 'spendUsd', limit: '5.00', used: '1.25', reserved: '0', remaining: '3.75', resetsAt: null }];
const base = {
  'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }),
  'GET /api/v1/ai/preferences': () => json(NO_PREFS),
  'GET /api/v1/ai/usage': () => json({ userId: 'u', tier: 'free', limits: LIMITS, today: { requests: 2, promptTokens: 10, completionTokens: 5, costUsd: '0', costSavedUsd: '0', cachedRequests: 0 }, month: null, byModel: [] }),
};

describe('AISettings', () => {
  it('shows a model selector per context, the policy and the quota bars', async () => {
    renderWithAuth(<AISettings />, base);
    for (const c of ['default', 'writing', 'dictionary']) {
      expect(await screen.findByRole('group', { name: new RegExp(`Model for ${c}`) })).toBeInTheDocument();
    }
    expect(screen.getByLabelText('Routing policy')).toHaveValue('user-preference');
    expect(await screen.findByText(/Today: 2 requests, 15 tokens/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'spendUsd per month' })).toHaveAttribute('value', '1.25');
  });

  it('saves the policy in the browser', async () => {
    renderWithAuth(<AISettings />, base);
    await userEvent.selectOptions(screen.getByLabelText('Routing policy'), 'latency');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(localStorage.getItem('aigw.policy')).toBe('latency');
    expect(screen.getByRole('status')).toHaveTextContent('saved');
  });

  it('reset deletes every context preference and the policy', async () => {
    localStorage.setItem('aigw.policy', 'cost');
    const { calls } = renderWithAuth(<AISettings />, {
      ...base,
      'DELETE /api/v1/ai/preferences/default': () => new Response(null, { status: 204 }),
      'DELETE /api/v1/ai/preferences/writing': () => envelope(404, 'none', 'not_found'),
      'DELETE /api/v1/ai/preferences/dictionary': () => new Response(null, { status: 204 }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('reset'));
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual([
      '/api/v1/ai/preferences/default', '/api/v1/ai/preferences/writing', '/api/v1/ai/preferences/dictionary',
    ]);
    expect(localStorage.getItem('aigw.policy')).toBeNull();
  });

  it('loading and error of the usage part', async () => {
    const { unmount } = renderWithAuth(<AISettings />, { ...base, 'GET /api/v1/ai/usage': pending });
    expect(screen.getByText(/loading usage/i)).toBeInTheDocument();
    unmount();
    renderWithAuth(<AISettings />, { ...base, 'GET /api/v1/ai/usage': () => envelope(503, 'down') });
    expect(await screen.findByText(/could not load your usage: down/i)).toBeInTheDocument();
  });
});
