import { QUOTA_FIELDS, type QuotaLimits } from '../../services/ai.service';

export type LimitValues = Record<keyof QuotaLimits, string>;

export const LIMIT_LABELS: Record<keyof QuotaLimits, string> = {
  requestsPerMinute: 'Requests per minute',
  tokensPerMinute: 'Tokens per minute',
  requestsPerDay: 'Requests per day',
  tokensPerDay: 'Tokens per day',
  tokensPerMonth: 'Tokens per month',
  spendUsdPerDay: 'Spend per day (USD)',
  spendUsdPerMonth: 'Spend per month (USD)',
};

const MONEY = new Set<keyof QuotaLimits>(['spendUsdPerDay', 'spendUsdPerMonth']);

export function toValues(l: QuotaLimits | null | undefined): LimitValues {
  return Object.fromEntries(QUOTA_FIELDS.map((f) => [f, l?.[f] == null ? '' : String(l[f])])) as LimitValues;
}

/**
 * The form's strings as limits: empty = absent (unlimited, or no override); whole numbers as numbers, money as
 * decimal strings; anything else is sent as typed so that the server names the field in its 400.
 */
export function toLimits(v: LimitValues): QuotaLimits {
  const out: Record<string, unknown> = {};
  for (const f of QUOTA_FIELDS) {
    const s = v[f].trim();
    if (s === '') continue;
    out[f] = MONEY.has(f) || !/^\d+$/.test(s) ? s : Number(s);
  }
  return out as QuotaLimits;
}

/** One labelled input per limit; the one a 400's `param` names (`limits.<field>`) is marked invalid. */
export function LimitsFields({ idPrefix, values, onChange, param, emptyMeans }: {
  idPrefix: string;
  values: LimitValues;
  onChange: (v: LimitValues) => void;
  param: string | null;
  emptyMeans: string;
}) {
  return (
    <fieldset>
      <legend>Limits <small>(empty = {emptyMeans})</small></legend>
      <div className="limits-grid">
        {QUOTA_FIELDS.map((f) => (
          <label key={f} htmlFor={`${idPrefix}-${f}`}>
            {LIMIT_LABELS[f]}
            <input id={`${idPrefix}-${f}`} inputMode={MONEY.has(f) ? 'decimal' : 'numeric'} value={values[f]}
              aria-invalid={param === `limits.${f}` || undefined}
              onChange={(e) => onChange({ ...values, [f]: e.target.value })} />
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Limits as short text: "60 requests per minute, $5.00 per day" or "unlimited". */
export function describeLimits(l: QuotaLimits | null | undefined): string {
  const parts = QUOTA_FIELDS.filter((f) => l?.[f] != null).map((f) => `${LIMIT_LABELS[f].toLowerCase()}: ${l![f]}`);
  return parts.length ? parts.join(', ') : 'unlimited';
}
