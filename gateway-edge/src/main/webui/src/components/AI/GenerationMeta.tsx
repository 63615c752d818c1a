import { formatUsd, type GenerateResult } from '../../services/ai.service';

/** Provider, model, tokens, cost, latency and cache status of one generate answer. */
export function GenerationMeta({ result }: { result: GenerateResult }) {
  return (
    <dl className="generation-meta" aria-label="Request details">
      <div><dt>Provider</dt><dd data-testid="meta-provider">{result.provider ?? '—'}</dd></div>
      <div><dt>Model</dt><dd data-testid="meta-model">{result.model ?? '—'}</dd></div>
      <div>
        <dt>Tokens</dt>
        <dd data-testid="meta-tokens">
          {result.usage.totalTokens} ({result.usage.promptTokens} in, {result.usage.completionTokens} out)
        </dd>
      </div>
      <div><dt>Cost</dt><dd data-testid="meta-cost">{formatUsd(result.costUsd)}</dd></div>
      <div><dt>Latency</dt><dd data-testid="meta-latency">{result.latencyMs} ms</dd></div>
      <div><dt>Cached</dt><dd data-testid="meta-cached">{result.cached ? 'yes' : 'no'}</dd></div>
    </dl>
  );
}
