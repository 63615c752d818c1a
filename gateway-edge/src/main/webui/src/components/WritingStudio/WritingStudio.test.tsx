import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WritingStudio } from './WritingStudio';
import { DONE, MODEL, NO_PREFS, envelope, json, sseResponse, renderWithAuth } from '../../test/render';

const base = {
  'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }),
  'GET /api/v1/ai/preferences': () => json({ ...NO_PREFS, preferences: [{ context: 'writing', provider: 'fake', model: 'fake-chat', providerDisplayName: null, modelDisplayName: null, usageCount: 0, lastUsedAt: null }] }),
};

describe('WritingStudio', () => {
  it('streams the answer and shows provider, model, tokens, cost, latency and cache', async () => {
    const { calls } = renderWithAuth(<WritingStudio />, {
      ...base,
      'POST /api/v1/ai/generate': () => sseResponse([
        { event: 'delta', data: { content: 'Better ' } },
        { event: 'delta', data: { content: 'text.' } },
        { event: 'done', data: DONE },
      ]),
    });
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/preferences'))).toBe(true));
    await userEvent.type(screen.getByLabelText('Your text'), 'bad text');
    await userEvent.click(screen.getByLabelText('Summarise'));
    await userEvent.click(screen.getByRole('button', { name: 'Summarise' }));
    expect(await screen.findByTestId('meta-provider')).toHaveTextContent('fake');
    expect(screen.getByTestId('ws-output')).toHaveTextContent('Better text.');
    expect(screen.getByTestId('meta-model')).toHaveTextContent('fake-chat');
    expect(screen.getByTestId('meta-tokens')).toHaveTextContent('20 (12 in, 8 out)');
    expect(screen.getByTestId('meta-cost')).toHaveTextContent('$0.000028');
    expect(screen.getByTestId('meta-latency')).toHaveTextContent('42 ms');
    expect(screen.getByTestId('meta-cached')).toHaveTextContent('no');
    const gen = calls.find((c) => c.method === 'POST')!;
    expect(gen.body).toMatchObject({ context: 'writing', prompt: 'bad text', stream: true, provider: 'fake', model: 'fake-chat', policy: 'user-preference', useCache: true });
    expect(gen.body.systemPrompt).toMatch(/^Summarise/);
  });

  it('answers without streaming when asked', async () => {
    renderWithAuth(<WritingStudio />, { ...base, 'POST /api/v1/ai/generate': () => json({ ...DONE, content: 'Whole.', cached: true }) });
    await userEvent.type(screen.getByLabelText('Your text'), 'x');
    await userEvent.click(screen.getByRole('switch', { name: 'Stream' }));
    await userEvent.click(screen.getByRole('button', { name: 'Improve' }));
    expect(await screen.findByTestId('meta-cached')).toHaveTextContent('yes');
    expect(screen.getByTestId('ws-output')).toHaveTextContent('Whole.');
  });

  it('shows the gateway error', async () => {
    renderWithAuth(<WritingStudio />, { ...base, 'POST /api/v1/ai/generate': () => envelope(429, 'Rate limit reached.', 'rate_limited') });
    await userEvent.type(screen.getByLabelText('Your text'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Improve' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Rate limit reached.');
  });

  it('does not submit an empty text', () => {
    renderWithAuth(<WritingStudio />, base);
    expect(screen.getByRole('button', { name: 'Improve' })).toBeDisabled();
  });
});
