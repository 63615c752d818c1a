-- The W3C trace id (32 lowercase hex) of the request's trace, from UsageEvent.traceId (issue 13). NULL for events
-- without one (older producers, tracing off). No index: a trace is found from the request id or in the trace backend.
ALTER TABLE usage.usage_records ADD COLUMN IF NOT EXISTS trace_id text;
