import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MyApiKeys } from './MyApiKeys';
import { envelope, json, pending, renderWithAuth } from '../../test/render';

const KEY = { keyId: 'key_1', name: 'laptop', roles: ['user'], createdAt: '2026-12-01T10:00:00Z', expiresAt: null, revokedAt: null };

describe('MyApiKeys', () => {
  it('loading', () => {
    renderWithAuth(<MyApiKeys />, { 'GET /api/v1/ai/keys': pending });
    expect(screen.getByText(/loading keys/i)).toBeInTheDocument();
  });

  it('error', async () => {
    renderWithAuth(<MyApiKeys />, { 'GET /api/v1/ai/keys': () => envelope(503, 'Key store unreachable.') });
    expect(await screen.findByRole('alert')).toHaveTextContent('Key store unreachable.');
  });

  it('empty', async () => {
    renderWithAuth(<MyApiKeys />, { 'GET /api/v1/ai/keys': () => json({ data: [] }) });
    expect(await screen.findByText(/no API keys yet/i)).toBeInTheDocument();
  });

  it('lists keys, revoked ones without a revoke button', async () => {
    renderWithAuth(<MyApiKeys />, { 'GET /api/v1/ai/keys': () => json({ data: [KEY, { ...KEY, keyId: 'key_2', name: 'old', revokedAt: '2026-12-02T00:00:00Z' }] }) });
    expect(await screen.findByText('key_1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Revoke laptop' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke old' })).toBeNull();
    expect(screen.getByText('revoked')).toBeInTheDocument();
  });

  it('creates a key, shows it once with a copy button', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { calls } = renderWithAuth(<MyApiKeys />, {
      'GET /api/v1/ai/keys': () => json({ data: [] }),
      'POST /api/v1/ai/keys': () => json({ ...KEY, keyId: 'key_9', name: 'ci', key: 'aigw_secret_once' }, 201),
    });
    await userEvent.type(screen.getByLabelText('Name of a new key'), 'ci');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByTestId('new-key')).toHaveTextContent('aigw_secret_once');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ name: 'ci' });
    await userEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('aigw_secret_once');
    expect(screen.getByRole('button', { name: 'Copied' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('new-key')).toBeNull();
  });

  it('revokes after confirmation', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { calls } = renderWithAuth(<MyApiKeys />, {
      'GET /api/v1/ai/keys': () => json({ data: [KEY] }),
      'DELETE /api/v1/ai/keys/key_1': () => new Response(null, { status: 204 }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke laptop' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/key_1'))).toBe(true));
  });
});
