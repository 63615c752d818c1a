import { AiService, ApiError, formatUsd, healthColour, modelIdOf, readSse } from './ai.service';
import { DONE, MODEL, envelope, fakeFetch, json, sseResponse } from '../test/render';

function svc(routes: Parameters<typeof fakeFetch>[0], token: string | null = 'aigw_k') {
  const f = fakeFetch(routes);
  return { s: new AiService({ adminUrl: 'http://admin.test', getToken: () => token, fetchImpl: f.fetch }), calls: f.calls };
}

describe('AiService', () => {
  it('sends the credential as a bearer and reads the catalog', async () => {
    const { s, calls } = svc({ 'GET /api/v1/ai/models': () => json({ models: [MODEL], groups: [] }) });
    const c = await s.listModels();
    expect(c.models[0].id).toBe('fake/fake-chat');
    expect(calls[0].headers.get('authorization')).toBe('Bearer aigw_k');
    // revalidated every time: a provider an admin just disabled shows at once, not after the edge's max-age
    expect(calls[0].cache).toBe('no-cache');
  });

  it('sends no authorization header without a credential', async () => {
    const { s, calls } = svc({ 'GET /api/v1/ai/models': () => json({ models: [], groups: [] }) }, null);
    await s.listModels();
    expect(calls[0].headers.has('authorization')).toBe(false);
  });

  it('turns the OpenAI error envelope into an ApiError', async () => {
    const { s } = svc({ 'GET /api/v1/ai/usage': () => envelope(401, 'Invalid API key.', 'invalid_api_key') });
    const e = await s.getUsage().catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(401);
    expect(e.code).toBe('invalid_api_key');
    expect(e.message).toBe('Invalid API key.');
  });

  it('reports an unreachable gateway as a network error', async () => {
    const s = new AiService({ getToken: () => null, fetchImpl: () => Promise.reject(new TypeError('Failed to fetch')) });
    const e = await s.listModels().catch((x) => x);
    expect(e.code).toBe('network_error');
  });

  it('passes the date range of the usage report', async () => {
    const { s, calls } = svc({ 'GET /api/v1/ai/usage': () => json({ limits: [], byModel: [] }) });
    await s.getUsage({ from: '2026-12-01', to: '2026-12-03' });
    expect(calls[0].url).toBe('/api/v1/ai/usage?from=2026-12-01&to=2026-12-03');
  });

  it('streams generate: deltas split across chunks, then the done event', async () => {
    const { s, calls } = svc({
      'POST /api/v1/ai/generate': () =>
        sseResponse([
          { event: 'delta', data: { content: 'Hello ' } },
          { event: 'delta', data: { content: 'wörld' } },
          { event: 'done', data: DONE },
        ], 5),
    });
    const deltas: string[] = [];
    const r = await s.generateStream({ prompt: 'hi', context: 'writing' }, (d) => deltas.push(d));
    expect(deltas.join('')).toBe('Hello wörld');
    expect(r.content).toBe('Hello wörld');
    expect(r.provider).toBe('fake');
    expect(r.usage.totalTokens).toBe(20);
    expect(calls[0].body).toEqual({ prompt: 'hi', context: 'writing', stream: true });
  });

  it('rejects on an error event in the stream', async () => {
    const { s } = svc({
      'POST /api/v1/ai/generate': () =>
        sseResponse([{ event: 'delta', data: { content: 'a' } }, { event: 'error', data: { error: { message: 'upstream broke', code: 'provider_error' } } }]),
    });
    const e = await s.generateStream({ prompt: 'x' }, () => {}).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe('upstream broke');
  });

  it('rejects a stream that ends without done', async () => {
    const { s } = svc({ 'POST /api/v1/ai/generate': () => sseResponse([{ event: 'delta', data: { content: 'a' } }]) });
    const e = await s.generateStream({ prompt: 'x' }, () => {}).catch((x) => x);
    expect(e.code).toBe('stream_incomplete');
  });

  it('generates without streaming', async () => {
    const { s, calls } = svc({ 'POST /api/v1/ai/generate': () => json({ ...DONE, content: 'whole' }) });
    const r = await s.generate({ prompt: 'x' });
    expect(r.content).toBe('whole');
    expect(calls[0].body.stream).toBe(false);
  });

  it('saves and deletes preferences; deleting a missing one is fine', async () => {
    const { s, calls } = svc({
      'PUT /api/v1/ai/preferences': ({ body }) => json({ ...(body as object), usageCount: 0 }),
      'DELETE /api/v1/ai/preferences/writing': () => envelope(404, 'none', 'not_found'),
    });
    const p = await s.savePreference('writing', 'fake', 'fake-chat');
    expect(calls[0].body).toEqual({ context: 'writing', provider: 'fake', model: 'fake-chat' });
    expect(calls[0].headers.get('content-type')).toBe('application/json');
    expect(p.provider).toBe('fake');
    await expect(s.deletePreference('writing')).resolves.toBeUndefined();
  });

  it('lists, creates and revokes keys', async () => {
    const { s, calls } = svc({
      'GET /api/v1/ai/keys': () => json({ data: [{ keyId: 'key_1', name: 'a', roles: ['user'], createdAt: '2026-12-01T00:00:00Z', expiresAt: null, revokedAt: null }] }),
      'POST /api/v1/ai/keys': () => json({ keyId: 'key_2', key: 'aigw_new', name: 'b', roles: ['user'], createdAt: '2026-12-01T00:00:00Z', expiresAt: null }, 201),
      'DELETE /api/v1/ai/keys/key_1': () => new Response(null, { status: 204 }),
    });
    expect((await s.listKeys())[0].keyId).toBe('key_1');
    expect((await s.createKey('b')).key).toBe('aigw_new');
    await s.revokeKey('key_1');
    expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'DELETE']);
  });

  it('calls admin-service at its own URL: providers, enable/disable, costs, CSV', async () => {
    const { s, calls } = svc({
      'GET /api/v1/ai/admin/providers': () => json([]),
      'PATCH /api/v1/ai/admin/providers/fakeb': ({ body }) => json({ id: 'fakeb', ...(body as object) }),
      'GET /api/v1/ai/admin/costs': () => json({ rows: [], totalUsd: '0' }),
      'GET /api/v1/ai/admin/costs?from=2026-12-01&groupBy=provider%2Cday&format=csv': () =>
        new Response('day,costUsd\r\n', { headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="costs-2026-12.csv"' } }),
    });
    await s.listProviders();
    await s.setProviderEnabled('fakeb', false);
    await s.getCosts({ groupBy: ['day'] });
    const csv = await s.downloadCostsCsv({ from: '2026-12-01', groupBy: ['provider', 'day'] });
    expect(calls[0].url).toBe('http://admin.test/api/v1/ai/admin/providers');
    expect(calls[1].headers.get('content-type')).toBe('application/merge-patch+json');
    expect(calls[1].body).toEqual({ enabled: false });
    expect(csv.filename).toBe('costs-2026-12.csv');
    expect(await csv.blob.text()).toBe('day,costUsd\r\n');
  });

  it('isAdmin: 200 true, 403 false', async () => {
    expect(await svc({ 'GET /api/v1/ai/admin/keys': () => json({ data: [] }) }).s.isAdmin()).toBe(true);
    expect(await svc({ 'GET /api/v1/ai/admin/keys': () => envelope(403, 'no') }).s.isAdmin()).toBe(false);
  });
});

describe('helpers', () => {
  it('readSse joins data lines, skips comments, handles CRLF', async () => {
    const body = new Response(': hi\r\nevent: a\r\ndata: 1\r\ndata: 2\r\n\r\ndata: x\n\n').body!;
    const out = [];
    for await (const e of readSse(body)) out.push(e);
    expect(out).toEqual([{ event: 'a', data: '1\n2' }, { event: 'message', data: 'x' }]);
  });

  it('formats money, health and model ids', () => {
    expect(formatUsd('0.000028')).toBe('$0.000028');
    expect(formatUsd(1.5)).toBe('$1.50');
    expect(formatUsd(null)).toBe('—');
    expect(healthColour({ status: 'degraded', health: 'healthy', breaker: 'HALF_OPEN' })).toBe('yellow');
    expect(healthColour(null)).toBe('red');
    expect(modelIdOf({ id: 'fake/fake-chat', provider: 'fake' })).toBe('fake-chat');
  });
});

describe('AiService admin console', () => {
  const A = 'http://admin.test/api/v1/ai/admin';

  it('patches model prices as a merge patch and resets a breaker', async () => {
    const { s, calls } = svc({
      'PATCH /api/v1/ai/admin/providers/fakeb': () => json({ id: 'fakeb' }),
      'POST /api/v1/ai/admin/breakers/fakeb/reset': () => json({ provider: 'fakeb', routing: { provider: 'fakeb', state: 'CLOSED' }, published: true, requestedAt: 'now' }),
    });
    await s.setModelPrices('fakeb', { 'fake-chat': { promptPricePer1k: '0.0015', completionPricePer1k: null } });
    expect(calls[0].body).toEqual({ models: { 'fake-chat': { promptPricePer1k: '0.0015', completionPricePer1k: null } } });
    expect(calls[0].headers.get('content-type')).toBe('application/merge-patch+json');
    const r = await s.resetBreaker('fakeb');
    expect(r.routing?.state).toBe('CLOSED');
    expect(calls[1].url).toBe(A + '/breakers/fakeb/reset');
  });

  it('keeps the param of a validation error', async () => {
    const { s } = svc({
      'PATCH /api/v1/ai/admin/providers/fakeb': () =>
        json({ error: { message: "'models.fake-chat.promptPricePer1k' must be at least 0.", type: 'invalid_request_error', param: 'models.fake-chat.promptPricePer1k', code: 'invalid_value' } }, 400),
    });
    const e = await s.setModelPrices('fakeb', { 'fake-chat': { promptPricePer1k: '-1' } }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.param).toBe('models.fake-chat.promptPricePer1k');
  });

  it('reads usage grouped by user and model with the range and filters', async () => {
    const { s, calls } = svc({ 'GET /api/v1/ai/admin/usage': () => json({ from: 'a', to: 'b', groupBy: ['user'], rows: [], nextCursor: null }) });
    await s.getAdminUsage({ from: '2026-12-01', to: '2026-12-03', groupBy: ['user', 'model'], provider: '', userId: 'alice' });
    const u = new URL(calls[0].url);
    expect(u.pathname).toBe('/api/v1/ai/admin/usage');
    expect(u.searchParams.get('groupBy')).toBe('user,model');
    expect(u.searchParams.get('from')).toBe('2026-12-01');
    expect(u.searchParams.get('to')).toBe('2026-12-03');
    expect(u.searchParams.get('userId')).toBe('alice');
    expect(u.searchParams.has('provider')).toBe(false);
  });

  it('quota tiers: list, put, delete', async () => {
    const { s, calls } = svc({
      'GET /api/v1/ai/admin/quotas/tiers': () => json({ defaultTier: 'free', tiers: [{ name: 'pro', limits: { requestsPerMinute: 60 }, users: 2, updatedAt: null }] }),
      'PUT /api/v1/ai/admin/quotas/tiers/team': ({ body }) => json({ name: 'team', limits: (body as { limits: unknown }).limits, users: 0, updatedAt: null }),
      'DELETE /api/v1/ai/admin/quotas/tiers/team': () => new Response(null, { status: 204 }),
    });
    expect((await s.getQuotaTiers()).tiers[0].name).toBe('pro');
    const t = await s.putQuotaTier('team', { requestsPerMinute: 120, spendUsdPerMonth: '250.00' });
    expect(calls[1].body).toEqual({ limits: { requestsPerMinute: 120, spendUsdPerMonth: '250.00' } });
    expect(t.limits.spendUsdPerMonth).toBe('250.00');
    await s.deleteQuotaTier('team');
    expect(calls[2].method).toBe('DELETE');
  });

  it('deleting a tier in use surfaces the 409', async () => {
    const { s } = svc({ 'DELETE /api/v1/ai/admin/quotas/tiers/pro': () => envelope(409, 'Tier pro has users.', 'tier_in_use') });
    const e = await s.deleteQuotaTier('pro').catch((x) => x);
    expect(e.status).toBe(409);
    expect(e.code).toBe('tier_in_use');
  });

  it('user quota: get, put, reset (all windows or some)', async () => {
    const view = { userId: 'a b', tier: 'pro', overrides: null, effective: {}, limits: [] };
    const { s, calls } = svc({
      'GET /api/v1/ai/admin/quotas/users/a%20b': () => json(view),
      'PUT /api/v1/ai/admin/quotas/users/a%20b': () => json(view),
      'POST /api/v1/ai/admin/quotas/users/a%20b/reset': () => json(view),
    });
    expect((await s.getUserQuota('a b')).tier).toBe('pro');
    await s.putUserQuota('a b', { tier: 'pro', limits: { spendUsdPerDay: '5.00' } });
    expect(calls[1].body).toEqual({ tier: 'pro', limits: { spendUsdPerDay: '5.00' } });
    await s.resetUserQuota('a b');
    expect(calls[2].body).toEqual({});
    await s.resetUserQuota('a b', ['day']);
    expect(calls[3].body).toEqual({ windows: ['day'] });
  });

  it('audit, health history and alerts pass their filters and cursor', async () => {
    const page = () => json({ rows: [], nextCursor: null });
    const { s, calls } = svc({
      'GET /api/v1/ai/admin/audit': page,
      'GET /api/v1/ai/admin/health/history': page,
      'GET /api/v1/ai/admin/alerts': page,
    });
    await s.getAudit({ action: 'provider.patch', target: 'provider:fakeb', cursor: 'c1', limit: 20 });
    expect(calls[0].url).toBe(A + '/audit?action=provider.patch&target=provider%3Afakeb&cursor=c1&limit=20');
    await s.getHealthHistory({ provider: 'fakeb', from: '2026-12-01' });
    expect(calls[1].url).toBe(A + '/health/history?provider=fakeb&from=2026-12-01');
    await s.getAlerts({ type: 'provider_unhealthy', actor: undefined } as never);
    expect(calls[2].url).toBe(A + '/alerts?type=provider_unhealthy');
  });
});
