/**
 * Typed client of the AI Gateway's HTTP API.
 *
 * - The public API on gateway-edge (same origin as this UI): model catalog, generate (JSON and SSE), preferences,
 *   the caller's usage and API keys (docs/architecture.md "Public API and errors").
 * - The admin API on admin-service (another origin, `adminUrl` from /config.json; admin-service allows this UI's
 *   origin through CORS): providers, costs (JSON and CSV), usage, audit (docs/admin-api.md).
 *
 * Every call sends `Authorization: Bearer <credential>` (an API key `aigw_…` or an OIDC access token). Errors come
 * back as {@link ApiError}, built from the gateway's OpenAI envelope `{"error":{message,type,param,code}}`.
 */

// ---------------------------------------------------------------- types: catalog

export type AvailabilityStatus = 'available' | 'degraded' | 'unavailable';
export type Context = 'default' | 'writing' | 'dictionary';
export const CONTEXTS: Context[] = ['default', 'writing', 'dictionary'];
export type RoutePolicy = 'cost' | 'latency' | 'quality' | 'round-robin' | 'user-preference';
export const POLICIES: RoutePolicy[] = ['user-preference', 'cost', 'latency', 'quality', 'round-robin'];

export interface Pricing {
  promptPer1k: string | null;
  completionPer1k: string | null;
  currency: string;
}

export interface Performance {
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
  ttftMsP50: number | null;
  successRate: number | null;
  requests: number;
  window: string;
}

export interface Availability {
  status: AvailabilityStatus;
  health: 'healthy' | 'unhealthy' | 'unknown';
  breaker: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
}

export interface CatalogModel {
  /** `provider/model` */
  id: string;
  provider: string;
  displayName: string | null;
  description: string | null;
  contextWindow: number;
  capabilities: { streaming: boolean; tools: boolean; json: boolean; vision: boolean };
  pricing: Pricing;
  /** null when usage-service did not answer */
  performance: Performance | null;
  availability: Availability | null;
  recommended: { value: boolean; contexts: string[] };
}

export interface CatalogGroup {
  id: string;
  members: string[];
  availability: { status: AvailabilityStatus };
}

export interface ModelCatalog {
  models: CatalogModel[];
  groups: CatalogGroup[];
}

/** The model id inside its provider: `fake/fake-chat` → `fake-chat`. */
export function modelIdOf(m: Pick<CatalogModel, 'id' | 'provider'>): string {
  return m.id.startsWith(m.provider + '/') ? m.id.substring(m.provider.length + 1) : m.id;
}

/** green / yellow / red dot of a model's availability. */
export function healthColour(a: Availability | null | undefined): 'green' | 'yellow' | 'red' {
  if (!a) return 'red';
  if (a.status === 'available') return 'green';
  if (a.status === 'degraded') return 'yellow';
  return 'red';
}

// ---------------------------------------------------------------- types: generate

export interface GenerateOptions {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string | string[];
  seed?: number;
}

export interface GenerateRequest {
  prompt?: string;
  messages?: { role: 'system' | 'user' | 'assistant'; content: string }[];
  systemPrompt?: string;
  context?: string;
  options?: GenerateOptions;
  policy?: RoutePolicy;
  useCache?: boolean;
  provider?: string;
  model?: string;
}

export interface GenerateResult {
  requestId: string;
  /** absent in the streamed `done` event: the deltas are the content */
  content?: string;
  provider: string | null;
  model: string | null;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  costUsd: number | string | null;
  latencyMs: number;
  cached: boolean;
  attempts: unknown[];
}

// ---------------------------------------------------------------- types: preferences, usage, keys

export interface Preference {
  context: string;
  provider: string;
  providerDisplayName: string | null;
  model: string;
  modelDisplayName: string | null;
  usageCount: number;
  lastUsedAt: string | null;
  warning?: string;
}

export interface Preferences {
  preferences: Preference[];
  defaults: { policy: string; model: string };
}

export interface QuotaLimit {
  window: string;
  metric: string;
  limit: number | string;
  used: number | string;
  reserved: number | string;
  remaining: number | string;
  resetsAt: string | null;
}

export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string | number;
  costSavedUsd: string | number;
  cachedRequests: number;
}

export interface UsageDay extends UsageTotals {
  date: string;
}

export interface UsageByModel {
  provider: string;
  model: string;
  requests: number;
  tokens: number;
  costUsd: string | number;
}

export interface UsageReport {
  userId: string;
  keyId?: string;
  tier: string | null;
  limits: QuotaLimit[];
  today: UsageTotals | null;
  month: UsageTotals | null;
  byModel: UsageByModel[];
  days?: UsageDay[];
}

export interface ApiKeyInfo {
  keyId: string;
  name: string | null;
  roles: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** shown once, never again */
  key: string;
}

// ---------------------------------------------------------------- types: admin

export interface AdminProvider {
  id: string;
  kind: string;
  displayName: string | null;
  enabled: boolean;
  healthy: boolean | null;
  priority: number;
  models: {
    id: string;
    displayName: string | null;
    contextWindow: number;
    promptPricePer1k: number | string | null;
    completionPricePer1k: number | string | null;
    enabled: boolean;
  }[];
  breaker: 'CLOSED' | 'OPEN' | 'HALF_OPEN' | null;
  today: { requests: number; errors: number; errorRate: number; p95LatencyMs: number | null; costUsd: string | number } | null;
  pending?: boolean;
  published?: boolean | null;
  notes?: string[];
}

export interface CostsReport {
  from: string;
  to: string;
  groupBy: string[];
  currency: string;
  totalUsd: string | number;
  costSavedUsd: string | number;
  rows: Record<string, string | number | null>[];
  projection: { method: string; projectedMonthEndUsd: string | number; [k: string]: unknown } | null;
}

export interface CostsQuery {
  from?: string;
  to?: string;
  groupBy?: string[];
}

/** `groupBy` keys of admin usage and costs. */
export type UsageGroupBy = 'provider' | 'model' | 'user' | 'key' | 'context' | 'day' | 'hour';

export interface AdminUsageQuery {
  from?: string;
  to?: string;
  groupBy?: UsageGroupBy[];
  userId?: string;
  keyId?: string;
  provider?: string;
  model?: string;
  context?: string;
  outcome?: string;
  cursor?: string;
  limit?: number;
}

export interface AdminUsageRow {
  /** the groupBy key fields (provider, model, user, day, …) */
  [key: string]: string | number | null | undefined;
  requests: number;
  errors: number;
  cachedRequests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string | number;
  costSavedUsd: string | number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface AdminUsageReport {
  from: string;
  to: string;
  groupBy: string[];
  rows: AdminUsageRow[];
  nextCursor: string | null;
}

/** Limits of a tier, user or key: absent/null = unlimited; money is a decimal string. */
export interface QuotaLimits {
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
  requestsPerDay?: number | null;
  tokensPerDay?: number | null;
  tokensPerMonth?: number | null;
  spendUsdPerDay?: string | null;
  spendUsdPerMonth?: string | null;
}

export const QUOTA_FIELDS: (keyof QuotaLimits)[] = [
  'requestsPerMinute', 'tokensPerMinute', 'requestsPerDay', 'tokensPerDay', 'tokensPerMonth', 'spendUsdPerDay', 'spendUsdPerMonth',
];

export interface QuotaTier {
  name: string;
  limits: QuotaLimits;
  users: number;
  updatedAt: string | null;
}

export interface QuotaTiers {
  defaultTier: string;
  tiers: QuotaTier[];
}

export interface UserQuota {
  userId: string;
  tier: string;
  overrides: QuotaLimits | null;
  effective: QuotaLimits | null;
  /** live counters of each limited window × metric */
  limits: QuotaLimit[];
}

export type QuotaWindow = 'minute' | 'day' | 'month';

export interface PageQuery {
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface Page<T> {
  rows: T[];
  nextCursor: string | null;
}

export interface AuditQuery extends PageQuery {
  actor?: string;
  action?: string;
  target?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  actorUser: string | null;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  status: number;
  requestId: string | null;
}

export interface HealthHistoryQuery extends PageQuery {
  provider?: string;
}

export interface HealthEvent {
  eventId: string;
  provider: string;
  type: string;
  healthy: boolean;
  previousHealthy: boolean | null;
  detail: string | null;
  latencyMs: number | null;
  consecutiveFailures: number | null;
  checkedAt: string | null;
  occurredAt: string;
  instance: string | null;
}

export interface AlertsQuery extends PageQuery {
  type?: string;
  subject?: string;
}

export interface AlertEntry {
  alertId: string;
  type: string;
  subject: string;
  occurredAt: string;
  payload: unknown;
}

export interface BreakerReset {
  provider: string;
  routing: { provider: string; state: string } | null;
  published: boolean;
  requestedAt: string;
}

/** Per-model price change: USD per 1K tokens, decimal strings (exact), null = back to the configured price. */
export interface ModelPricePatch {
  promptPricePer1k?: string | null;
  completionPricePer1k?: string | null;
}

// ---------------------------------------------------------------- errors

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly type: string | null = null,
    readonly param: string | null = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** From a failed response: the OpenAI envelope when there is one, else the status line. */
  static async fromResponse(res: Response): Promise<ApiError> {
    const requestId = res.headers.get('x-request-id');
    let text = '';
    try {
      text = await res.text();
    } catch {
      /* body unreadable: keep the status */
    }
    return ApiError.fromBody(res.status, text, requestId);
  }

  static fromBody(status: number, text: string, requestId: string | null = null): ApiError {
    try {
      const e = JSON.parse(text)?.error;
      if (e && typeof e.message === 'string') {
        return new ApiError(status, e.message, e.code ?? null, e.type ?? null, e.param ?? null, requestId);
      }
    } catch {
      /* not JSON */
    }
    return new ApiError(status, `HTTP ${status}${text ? ': ' + text.slice(0, 200) : ''}`, null, null, null, requestId);
  }
}

// ---------------------------------------------------------------- SSE

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads `text/event-stream` from a byte stream: yields one {@link SseEvent} per blank-line-terminated block
 * (`event:` defaults to `message`; several `data:` lines are joined with newlines; comments are skipped).
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      buffer = buffer.replace(/\r\n?/g, '\n');
      let sep: number;
      while ((sep = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        const ev = parseBlock(block);
        if (ev) yield ev;
      }
      if (done) {
        const ev = parseBlock(buffer);
        if (ev) yield ev;
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function parseBlock(block: string): SseEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? null : { event, data: data.join('\n') };
}

// ---------------------------------------------------------------- the client

export type TokenSource = () => string | null | Promise<string | null>;

export interface AiServiceOptions {
  /** the edge; '' = this page's origin */
  baseUrl?: string;
  /** admin-service, e.g. http://127.0.0.1:8084 */
  adminUrl?: string;
  getToken: TokenSource;
  fetchImpl?: typeof fetch;
}

const USER_API = '/api/v1/ai';
const ADMIN_API = '/api/v1/ai/admin';

export class AiService {
  private readonly baseUrl: string;
  private readonly adminUrl: string;
  private readonly getToken: TokenSource;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: AiServiceOptions) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.adminUrl = (opts.adminUrl ?? '').replace(/\/$/, '');
    this.getToken = opts.getToken;
    this.fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  // ---- public API (edge)

  /**
   * GET /api/v1/ai/models: public (a credential is sent when there is one). Revalidated every time (`no-cache`): the
   * edge answers with `max-age=30` for shared caches, but a provider an admin just disabled must show at once; the
   * ETag keeps the revalidation a 304.
   */
  listModels(signal?: AbortSignal): Promise<ModelCatalog> {
    return this.json<ModelCatalog>(this.baseUrl + USER_API + '/models', { signal, cache: 'no-cache' });
  }

  /** POST /api/v1/ai/generate, one JSON answer. */
  generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.json<GenerateResult>(this.baseUrl + USER_API + '/generate', {
      method: 'POST',
      body: JSON.stringify({ ...req, stream: false }),
      signal,
    });
  }

  /**
   * POST /api/v1/ai/generate with `stream: true`: calls `onDelta` with each `delta` event's text as it arrives and
   * resolves with the `done` event (provider, model, usage, cost, latency, cached). An `error` event, or a stream
   * that ends without `done`, rejects with an {@link ApiError}.
   */
  async generateStream(
    req: GenerateRequest,
    onDelta: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<GenerateResult> {
    const res = await this.send(this.baseUrl + USER_API + '/generate', {
      method: 'POST',
      body: JSON.stringify({ ...req, stream: true }),
      headers: { accept: 'text/event-stream' },
      signal,
    });
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) {
      // an answer the gateway did not stream (e.g. served whole): use it as one delta
      const whole = (await res.json()) as GenerateResult;
      if (whole.content) onDelta(whole.content);
      return whole;
    }
    if (!res.body) throw new ApiError(502, 'The stream has no body.');
    let content = '';
    for await (const ev of readSse(res.body)) {
      if (ev.event === 'delta') {
        const text = (JSON.parse(ev.data) as { content?: string }).content ?? '';
        content += text;
        if (text) onDelta(text);
      } else if (ev.event === 'done') {
        const done = JSON.parse(ev.data) as GenerateResult;
        return { ...done, content: done.content ?? content };
      } else if (ev.event === 'error') {
        throw ApiError.fromBody(502, ev.data, res.headers.get('x-request-id'));
      }
    }
    throw new ApiError(502, 'The stream ended before its last event.', 'stream_incomplete');
  }

  getPreferences(signal?: AbortSignal): Promise<Preferences> {
    return this.json<Preferences>(this.baseUrl + USER_API + '/preferences', { signal });
  }

  /** PUT /api/v1/ai/preferences: the caller's provider/model for one context. */
  savePreference(context: string, provider: string, model: string): Promise<Preference> {
    return this.json<Preference>(this.baseUrl + USER_API + '/preferences', {
      method: 'PUT',
      body: JSON.stringify({ context, provider, model }),
    });
  }

  /** DELETE /api/v1/ai/preferences/{context}; a context without a preference is not an error. */
  async deletePreference(context: string): Promise<void> {
    try {
      await this.send(this.baseUrl + USER_API + '/preferences/' + encodeURIComponent(context), { method: 'DELETE' });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }

  /** GET /api/v1/ai/usage (with `from`/`to`, yyyy-MM-dd, for the per-day rows). */
  getUsage(range?: { from: string; to: string }, signal?: AbortSignal): Promise<UsageReport> {
    const q = range ? `?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}` : '';
    return this.json<UsageReport>(this.baseUrl + USER_API + '/usage' + q, { signal });
  }

  async listKeys(signal?: AbortSignal): Promise<ApiKeyInfo[]> {
    return (await this.json<{ data: ApiKeyInfo[] }>(this.baseUrl + USER_API + '/keys', { signal })).data;
  }

  createKey(name: string, expiresAt?: string): Promise<CreatedApiKey> {
    return this.json<CreatedApiKey>(this.baseUrl + USER_API + '/keys', {
      method: 'POST',
      body: JSON.stringify(expiresAt ? { name, expiresAt } : { name }),
    });
  }

  async revokeKey(keyId: string): Promise<void> {
    await this.send(this.baseUrl + USER_API + '/keys/' + encodeURIComponent(keyId), { method: 'DELETE' });
  }

  // ---- admin API (admin-service)

  listProviders(signal?: AbortSignal): Promise<AdminProvider[]> {
    return this.json<AdminProvider[]>(this.admin('/providers'), { signal });
  }

  /** PATCH /providers/{id} with `{enabled}`: explicit, so a double click cannot flip it back. */
  setProviderEnabled(id: string, enabled: boolean): Promise<AdminProvider> {
    return this.patchProvider(id, { enabled });
  }

  patchProvider(id: string, patch: Record<string, unknown>): Promise<AdminProvider> {
    return this.json<AdminProvider>(this.admin('/providers/' + encodeURIComponent(id)), {
      method: 'PATCH',
      body: JSON.stringify(patch),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
  }

  /** PATCH /providers/{id} with `{models:{<id>:{promptPricePer1k,completionPricePer1k}}}`. */
  setModelPrices(id: string, prices: Record<string, ModelPricePatch>): Promise<AdminProvider> {
    return this.patchProvider(id, { models: prices });
  }

  /** POST /breakers/{provider}/reset: closes the provider's circuit breaker on every routing instance. */
  resetBreaker(provider: string): Promise<BreakerReset> {
    return this.json<BreakerReset>(this.admin('/breakers/' + encodeURIComponent(provider) + '/reset'), { method: 'POST' });
  }

  /** GET /usage: usage grouped by user, model, provider, day… over a range. */
  getAdminUsage(q: AdminUsageQuery, signal?: AbortSignal): Promise<AdminUsageReport> {
    return this.json<AdminUsageReport>(this.admin('/usage' + query({ ...q, groupBy: q.groupBy?.join(',') })), { signal });
  }

  getQuotaTiers(signal?: AbortSignal): Promise<QuotaTiers> {
    return this.json<QuotaTiers>(this.admin('/quotas/tiers'), { signal });
  }

  /** PUT /quotas/tiers/{tier}: creates or replaces the tier's limits. */
  putQuotaTier(tier: string, limits: QuotaLimits): Promise<QuotaTier> {
    return this.json<QuotaTier>(this.admin('/quotas/tiers/' + encodeURIComponent(tier)), {
      method: 'PUT',
      body: JSON.stringify({ limits }),
    });
  }

  /** DELETE /quotas/tiers/{tier}: 409 while users have it or it is the default tier. */
  async deleteQuotaTier(tier: string): Promise<void> {
    await this.send(this.admin('/quotas/tiers/' + encodeURIComponent(tier)), { method: 'DELETE' });
  }

  getUserQuota(userId: string, signal?: AbortSignal): Promise<UserQuota> {
    return this.json<UserQuota>(this.admin('/quotas/users/' + encodeURIComponent(userId)), { signal });
  }

  /** PUT /quotas/users/{userId}: the tier (none = the default tier) and the overrides, which replace the stored ones. */
  putUserQuota(userId: string, body: { tier?: string | null; limits: QuotaLimits }): Promise<UserQuota> {
    return this.json<UserQuota>(this.admin('/quotas/users/' + encodeURIComponent(userId)), {
      method: 'PUT',
      body: JSON.stringify(body),
    });
  }

  /** POST /quotas/users/{userId}/reset: the chosen windows' counters to 0 (none given = every window). */
  resetUserQuota(userId: string, windows?: QuotaWindow[]): Promise<UserQuota> {
    return this.json<UserQuota>(this.admin('/quotas/users/' + encodeURIComponent(userId) + '/reset'), {
      method: 'POST',
      body: JSON.stringify(windows && windows.length ? { windows } : {}),
    });
  }

  /** GET /audit, newest first, one page (`cursor` from the previous page's `nextCursor`). */
  getAudit(q: AuditQuery, signal?: AbortSignal): Promise<Page<AuditEntry>> {
    return this.json<Page<AuditEntry>>(this.admin('/audit' + query({ ...q })), { signal });
  }

  /** GET /health/history: provider health transitions and checks, newest first. */
  getHealthHistory(q: HealthHistoryQuery, signal?: AbortSignal): Promise<Page<HealthEvent>> {
    return this.json<Page<HealthEvent>>(this.admin('/health/history' + query({ ...q })), { signal });
  }

  /** GET /alerts: alerts (provider health, quota thresholds…), newest first. */
  getAlerts(q: AlertsQuery, signal?: AbortSignal): Promise<Page<AlertEntry>> {
    return this.json<Page<AlertEntry>>(this.admin('/alerts' + query({ ...q })), { signal });
  }

  getCosts(q: CostsQuery, signal?: AbortSignal): Promise<CostsReport> {
    return this.json<CostsReport>(this.admin('/costs' + costsQuery(q)), { signal });
  }

  /** GET /costs?format=csv: the CSV as a Blob and the file name the server suggests. */
  async downloadCostsCsv(q: CostsQuery): Promise<{ blob: Blob; filename: string }> {
    const res = await this.send(this.admin('/costs' + costsQuery(q, true)), { headers: { accept: 'text/csv' } });
    const cd = res.headers.get('content-disposition') ?? '';
    const m = /filename="?([^";]+)"?/i.exec(cd);
    return { blob: await res.blob(), filename: m ? m[1] : 'costs.csv' };
  }

  /** A cheap admin call: true when the credential has the admin role (200), false on 401/403. */
  async isAdmin(): Promise<boolean> {
    if (!this.adminUrl) return false;
    try {
      await this.send(this.admin('/keys?limit=1'), {});
      return true;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return false;
      throw e;
    }
  }

  // ---- plumbing

  private admin(path: string): string {
    return this.adminUrl + ADMIN_API + path;
  }

  private async json<T>(url: string, init: RequestInit): Promise<T> {
    const res = await this.send(url, init);
    return (await res.json()) as T;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = await this.getToken();
    if (token) headers.set('authorization', 'Bearer ' + token);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    let res: Response;
    try {
      res = await this.fetchImpl(url, { ...init, headers });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'The gateway could not be reached: ' + (e as Error).message, 'network_error');
    }
    if (!res.ok) throw await ApiError.fromResponse(res);
    return res;
  }
}

/** A query string of the given parameters, leaving out empty ones. */
function query(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

function costsQuery(q: CostsQuery, csv = false): string {
  const p = new URLSearchParams();
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (q.groupBy && q.groupBy.length) p.set('groupBy', q.groupBy.join(','));
  if (csv) p.set('format', 'csv');
  const s = p.toString();
  return s ? '?' + s : '';
}

/** Money as USD with enough digits for fractions of a cent. */
export function formatUsd(v: number | string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return '—';
  if (n !== 0 && Math.abs(n) < 0.01) return '$' + n.toFixed(6).replace(/0+$/, '');
  return '$' + n.toFixed(2);
}
