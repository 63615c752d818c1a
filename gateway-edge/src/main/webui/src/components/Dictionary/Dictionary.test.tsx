import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Dictionary } from './Dictionary';
import { DONE, MODEL, NO_PREFS, envelope, json, pending, sseResponse, renderWithAuth } from '../../test/render';

const base = {
  'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }),
  'GET /api/v1/ai/preferences': () => json(NO_PREFS),
};

describe('Dictionary', () => {
  it('looks a word up in the dictionary context, streamed', async () => {
    const { calls } = renderWithAuth(<Dictionary />, {
      ...base,
      'POST /api/v1/ai/generate': () => sseResponse([
        { event: 'delta', data: { content: 'serendipity: luck.\nExamples: …\nSynonyms: chance' } },
        { event: 'done', data: DONE },
      ]),
    });
    await userEvent.type(screen.getByLabelText('Word or phrase'), 'serendipity');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByTestId('meta-provider')).toHaveTextContent('fake');
    expect(screen.getByTestId('dict-output')).toHaveTextContent('Synonyms: chance');
    expect(screen.getByRole('article', { name: 'Entry for serendipity' })).toBeInTheDocument();
    const body = calls.find((c) => c.method === 'POST')!.body;
    expect(body).toMatchObject({ context: 'dictionary', prompt: 'serendipity', stream: true });
    expect(body.provider).toBeUndefined();
  });

  it('shows the running state', async () => {
    renderWithAuth(<Dictionary />, { ...base, 'POST /api/v1/ai/generate': pending });
    await userEvent.type(screen.getByLabelText('Word or phrase'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(screen.getByRole('button', { name: 'Look up' })).toHaveAttribute('aria-busy', 'true');
  });

  it('shows an error', async () => {
    renderWithAuth(<Dictionary />, { ...base, 'POST /api/v1/ai/generate': () => envelope(503, 'No candidate available.') });
    await userEvent.type(screen.getByLabelText('Word or phrase'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('No candidate available.');
  });
});
