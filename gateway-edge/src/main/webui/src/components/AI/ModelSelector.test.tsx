import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ModelSelector } from './ModelSelector';
import { MODEL, MODEL_DOWN, NO_PREFS, envelope, json, pending, renderWithAuth } from '../../test/render';

describe('ModelSelector', () => {
  it('shows a loading state', () => {
    renderWithAuth(<ModelSelector context="writing" />, { 'GET /api/v1/ai/models': pending, 'GET /api/v1/ai/preferences': pending });
    expect(screen.getByText(/loading models/i)).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    renderWithAuth(<ModelSelector context="writing" />, {
      'GET /api/v1/ai/models': () => envelope(503, 'Catalog not loaded yet.'),
      'GET /api/v1/ai/preferences': () => json(NO_PREFS),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Catalog not loaded yet.');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('says so when there are no models', async () => {
    renderWithAuth(<ModelSelector context="writing" />, {
      'GET /api/v1/ai/models': () => json({ models: [], groups: [] }),
      'GET /api/v1/ai/preferences': () => json(NO_PREFS),
    });
    expect(await screen.findByText(/no models are configured/i)).toBeInTheDocument();
  });

  it('lists models with pricing, performance, health and the recommended badge', async () => {
    renderWithAuth(<ModelSelector context="writing" />, {
      'GET /api/v1/ai/models': () => json({ models: [MODEL, MODEL_DOWN], groups: [] }),
      'GET /api/v1/ai/preferences': () => json(NO_PREFS),
    });
    const up = await screen.findByTestId('model-fake/fake-chat');
    expect(within(up).getByRole('img', { name: 'health: available' })).toHaveClass('green');
    expect(within(up).getByText('Recommended')).toBeInTheDocument();
    expect(up).toHaveTextContent('$0.001 / $0.002 per 1K tokens');
    expect(up).toHaveTextContent('p95 90 ms · success 99.5 %');
    const down = screen.getByTestId('model-fakeb/fake-chat');
    expect(within(down).getByRole('img', { name: 'health: unavailable' })).toHaveClass('red');
    expect(within(down).queryByText('Recommended')).toBeNull();
    expect(down).toHaveTextContent('no recent traffic');
    expect(screen.getByLabelText(/gateway default/i)).toBeChecked();
  });

  it('saves the preference for its context when a model is chosen', async () => {
    const { calls } = renderWithAuth(<ModelSelector context="dictionary" />, {
      'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }),
      'GET /api/v1/ai/preferences': () => json(NO_PREFS),
      'PUT /api/v1/ai/preferences': ({ body }) => json({ ...(body as object), providerDisplayName: 'Fake', modelDisplayName: 'Fake chat', usageCount: 0, lastUsedAt: null }),
    });
    const radio = within(await screen.findByTestId('model-fake/fake-chat')).getByRole('radio');
    await userEvent.click(radio);
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ context: 'dictionary', provider: 'fake', model: 'fake-chat' });
  });

  it('shows why a choice was not saved', async () => {
    renderWithAuth(<ModelSelector context="writing" />, {
      'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }),
      'GET /api/v1/ai/preferences': () => json(NO_PREFS),
      'PUT /api/v1/ai/preferences': () => envelope(400, "Provider 'fake' is disabled.", 'invalid_provider'),
    });
    await userEvent.click(within(await screen.findByTestId('model-fake/fake-chat')).getByRole('radio'));
    expect(await screen.findByRole('alert')).toHaveTextContent("Not saved: Provider 'fake' is disabled.");
  });

  it('marks the saved choice', async () => {
    renderWithAuth(<ModelSelector context="writing" />, {
      'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }),
      'GET /api/v1/ai/preferences': () => json({ ...NO_PREFS, preferences: [{ context: 'writing', provider: 'fake', model: 'fake-chat', providerDisplayName: 'Fake', modelDisplayName: 'Fake chat', usageCount: 3, lastUsedAt: null }] }),
    });
    await waitFor(() => expect(within(screen.getByTestId('model-fake/fake-chat')).getByRole('radio')).toBeChecked());
    expect(screen.getByText(/saved: Fake \/ Fake chat/)).toBeInTheDocument();
  });

  it('shows the choice as chosen while it is being saved', async () => {
    renderWithAuth(<ModelSelector context="writing" />, {
      'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }),
      'GET /api/v1/ai/preferences': () => json(NO_PREFS),
      'PUT /api/v1/ai/preferences': pending,
    });
    const radio = within(await screen.findByTestId('model-fake/fake-chat')).getByRole('radio');
    await userEvent.click(radio);
    expect(radio).toBeChecked();
    expect(screen.getByText('Saving…')).toBeInTheDocument();
  });
});
