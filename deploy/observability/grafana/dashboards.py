#!/usr/bin/env python3
"""Writes the Grafana dashboards of the AI Gateway (the *.json files next to this script).

    python3 deploy/observability/grafana/dashboards.py     # after editing a panel below; commit the JSON too

Every query uses only metrics listed in docs/observability.md and sits in a panel's targets[].expr (the e2e test
extracts the metric names from there and checks that the services export them). The datasource is the dashboard
variable DS_PROMETHEUS (type datasource), so the files work both provisioned (provisioning.yml) and imported.
"""
import json
import os

DS = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
HERE = os.path.dirname(os.path.abspath(__file__))
RI = "$__rate_interval"

PROVIDER_MAPPINGS = [{"type": "value", "options": {
    "2": {"text": "healthy", "color": "green", "index": 0},
    "1": {"text": "degraded", "color": "orange", "index": 1},
    "0": {"text": "down", "color": "red", "index": 2}}}]
BREAKER_MAPPINGS = [{"type": "value", "options": {
    "0": {"text": "closed", "color": "green", "index": 0},
    "1": {"text": "half-open", "color": "orange", "index": 1},
    "2": {"text": "open", "color": "red", "index": 2}}}]
GATE_MAPPINGS = [{"type": "value", "options": {
    "0": {"text": "closed (Redis used)", "color": "green", "index": 0},
    "1": {"text": "OPEN (working without Redis)", "color": "red", "index": 1}}}]


def target(expr, legend="", ref="A", instant=False, fmt=None):
    t = {"refId": ref, "datasource": DS, "expr": expr, "legendFormat": legend or "__auto", "range": not instant,
         "instant": instant}
    if fmt:
        t["format"] = fmt
    return t


def thresholds(steps):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for v, c in steps]}


class Board:
    def __init__(self, uid, title, description, tags):
        self.uid, self.title, self.description, self.tags = uid, title, description, tags
        self.panels, self.x, self.y, self.row_h = [], 0, 0, 0

    def _place(self, w, h):
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def row(self, title):
        if self.x:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        self.panels.append({"id": len(self.panels) + 1, "type": "row", "title": title, "collapsed": False,
                            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}, "panels": []})
        self.y += 1

    def panel(self, kind, title, targets, desc="", unit="short", w=12, h=8, mappings=None, steps=None,
              options=None, custom=None, decimals=None, minv=None, maxv=None):
        defaults = {"unit": unit, "mappings": mappings or [],
                    "thresholds": thresholds(steps or [(None, "green")]), "color": {"mode": "palette-classic"}}
        if kind in ("stat", "gauge", "state-timeline", "bargauge") and (steps or mappings):
            defaults["color"] = {"mode": "thresholds"}
        if decimals is not None:
            defaults["decimals"] = decimals
        if minv is not None:
            defaults["min"] = minv
        if maxv is not None:
            defaults["max"] = maxv
        if custom:
            defaults["custom"] = custom
        p = {"id": len(self.panels) + 1, "type": kind, "title": title, "description": desc, "datasource": DS,
             "gridPos": self._place(w, h), "targets": [dict(t, refId=chr(65 + i)) for i, t in enumerate(targets)],
             "fieldConfig": {"defaults": defaults, "overrides": []}, "options": options or {}}
        if kind == "timeseries" and not options:
            p["options"] = {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                            "tooltip": {"mode": "multi", "sort": "desc"}}
        if kind == "stat" and not options:
            p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                            "colorMode": "value", "graphMode": "area", "textMode": "auto", "justifyMode": "auto",
                            "orientation": "auto"}
        self.panels.append(p)

    def ts(self, title, targets, **kw):
        self.panel("timeseries", title, targets, **kw)

    def stat(self, title, targets, w=4, h=4, **kw):
        self.panel("stat", title, targets, w=w, h=h, **kw)

    def timeline(self, title, targets, **kw):
        self.panel("state-timeline", title, targets,
                   options={"showValue": "auto", "mergeValues": True, "rowHeight": 0.8, "alignValue": "center",
                            "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom"},
                            "tooltip": {"mode": "single", "sort": "none"}}, **kw)

    def table(self, title, targets, **kw):
        self.panel("table", title, targets, options={"showHeader": True, "cellHeight": "sm",
                                                     "footer": {"show": False, "reducer": ["sum"], "fields": ""}},
                   **kw)

    def json(self, variables):
        return {
            "__inputs": [{"name": "DS_PROMETHEUS", "label": "Prometheus", "description": "", "type": "datasource",
                          "pluginId": "prometheus", "pluginName": "Prometheus"}],
            "__requires": [{"type": "grafana", "id": "grafana", "name": "Grafana", "version": "11.0.0"},
                           {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"}],
            "uid": self.uid, "title": self.title, "description": self.description, "tags": ["aigw"] + self.tags,
            "editable": True, "graphTooltip": 1, "schemaVersion": 39, "version": 1, "timezone": "browser",
            "time": {"from": "now-6h", "to": "now"}, "refresh": "30s", "fiscalYearStartMonth": 0, "liveNow": False,
            "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                      "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                                      "name": "Annotations & Alerts", "type": "dashboard"}]},
            "links": [{"title": "AI Gateway", "type": "dashboards", "tags": ["aigw"], "asDropdown": True,
                       "includeVars": True, "keepTime": True}],
            "templating": {"list": [datasource_var()] + variables},
            "panels": self.panels,
        }


def datasource_var():
    return {"name": "DS_PROMETHEUS", "label": "Prometheus", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1, "regex": "", "includeAll": False, "multi": False,
            "options": [], "skipUrlSync": False}


def query_var(name, label, query):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "definition": query, "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "refresh": 2, "regex": "", "sort": 1, "includeAll": True, "allValue": ".*", "multi": True,
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "hide": 0, "options": [],
            "skipUrlSync": False}


PROVIDER_VAR = query_var("provider", "Provider", "label_values(aigw_requests_total, provider)")
MODEL_VAR = query_var("model", "Model", 'label_values(aigw_requests_total{provider=~"$provider"}, model)')
PM = 'provider=~"$provider", model=~"$model"'
GPM = 'gen_ai_provider_name=~"$provider", gen_ai_request_model=~"$model"'


def overview():
    b = Board("aigw-overview", "AI Gateway / Overview",
              "Traffic, errors, latency, tokens, cost and the health of the pipeline at a glance.", ["overview"])
    b.row("Now")
    b.stat("Requests/s", [target(f"sum(rate(aigw_requests_total{{{PM}}}[{RI}]))")], unit="reqps", decimals=2)
    b.stat("5xx ratio", [target(f'sum(rate(aigw_requests_total{{{PM}, status=~"5.."}}[{RI}])) '
                                f'/ sum(rate(aigw_requests_total{{{PM}}}[{RI}]))')],
           unit="percentunit", steps=[(None, "green"), (0.05, "orange"), (0.25, "red")], decimals=1)
    b.stat("p95 latency", [target(f'histogram_quantile(0.95, sum by (le) (rate(gen_ai_client_operation_duration_seconds_bucket'
                                  f'{{{GPM}, error_type="none"}}[{RI}])))')],
           unit="s", steps=[(None, "green"), (10, "orange"), (30, "red")])
    b.stat("p95 time to first token", [target(f"histogram_quantile(0.95, sum by (le) (rate("
                                              f"gen_ai_server_time_to_first_token_seconds_bucket{{{GPM}}}[{RI}])))")],
           unit="s", steps=[(None, "green"), (2, "orange"), (5, "red")])
    b.stat("Cost (time range)", [target(f"sum(increase(aigw_cost_usd_total{{{PM}}}[$__range]))")],
           unit="currencyUSD", decimals=2)
    b.stat("Cache hit ratio", [target(f'sum(rate(aigw_cache_lookups_total{{result="hit"}}[{RI}])) / '
                                      f'sum(rate(aigw_cache_lookups_total{{result=~"hit|miss|coalesced"}}[{RI}]))')],
           unit="percentunit", decimals=1)
    b.row("Traffic")
    b.ts("Requests by status", [target(f"sum by (status) (rate(aigw_requests_total{{{PM}}}[{RI}]))", "{{status}}")],
         unit="reqps", desc="routing-service, one count per request (aigw_requests_total).")
    b.ts("Requests by provider", [target(f"sum by (provider) (rate(aigw_requests_total{{{PM}}}[{RI}]))",
                                         "{{provider}}")], unit="reqps")
    b.ts("Request duration (p50, p95, p99)", [
        target(f'histogram_quantile({q}, sum by (le) (rate(gen_ai_client_operation_duration_seconds_bucket'
               f'{{{GPM}, error_type="none"}}[{RI}])))', f"p{int(q * 100)}") for q in (0.5, 0.95, 0.99)],
        unit="s", desc="gen_ai.client.operation.duration: the whole request as routing serves it (a stream: to its end).")
    b.ts("Time to first token (p50, p95, p99)", [
        target(f"histogram_quantile({q}, sum by (le) (rate(gen_ai_server_time_to_first_token_seconds_bucket"
               f"{{{GPM}}}[{RI}])))", f"p{int(q * 100)}") for q in (0.5, 0.95, 0.99)],
        unit="s", desc="Streamed requests: request start to the first content chunk.")
    b.ts("Tokens/s by type", [target(f"sum by (gen_ai_token_type) (rate(gen_ai_client_token_usage_sum{{{GPM}}}[{RI}]))",
                                     "{{gen_ai_token_type}}")], unit="short")
    b.ts("Cost per hour by provider", [target(f"sum by (provider) (rate(aigw_cost_usd_total{{{PM}}}[{RI}])) * 3600",
                                              "{{provider}}")], unit="currencyUSD")
    b.row("Edge")
    b.ts("Edge requests by route and status", [target(f"sum by (route, status) (rate(aigw_edge_requests_total[{RI}]))",
                                                      "{{route}} {{status}}")], unit="reqps")
    b.ts("Edge overhead p95 by route", [target(f"histogram_quantile(0.95, sum by (le, route) "
                                               f"(rate(aigw_edge_overhead_seconds_bucket[{RI}])))", "{{route}}")],
         unit="s", desc="Time the edge adds: request time minus the wait for routing/admin. Alert above 50 ms.")
    b.row("Pipeline and dependencies")
    b.timeline("Providers", [target("min by (provider) (aigw_provider_health)", "{{provider}}")],
               mappings=PROVIDER_MAPPINGS, w=8, steps=[(None, "red"), (1, "orange"), (2, "green")])
    b.timeline("Redis gates", [target("max by (job, gate) (aigw_redis_gate_open)", "{{job}} {{gate}}")],
               mappings=GATE_MAPPINGS, w=8, steps=[(None, "green"), (1, "red")])
    b.ts("Kafka consumer lag (max records)", [target("max by (job, client_id) (kafka_consumer_fetch_manager_records_lag_max)",
                                                     "{{job}} {{client_id}}")], w=8, unit="short")
    b.ts("Usage events (routing)", [target(f"sum by (outcome) (rate(aigw_usage_events_total[{RI}]))", "{{outcome}}"),
                                    target("sum(aigw_usage_spool_pending)", "spool pending")],
         w=12, unit="short", desc="sent / spooled / resent / dropped per second, and events waiting in the spool file.")
    b.ts("Usage events (usage-service)", [
        target(f"sum(rate(aigw_usage_events_consumed_total[{RI}]))", "consumed"),
        target(f"sum(rate(aigw_usage_events_inserted_total[{RI}]))", "inserted"),
        target(f"sum(rate(aigw_usage_events_duplicate_total[{RI}]))", "duplicate"),
        target(f"sum(rate(aigw_usage_events_dead_lettered_total[{RI}]))", "dead-lettered")], w=12, unit="short")
    return b.json([PROVIDER_VAR, MODEL_VAR])


def providers():
    b = Board("aigw-providers", "AI Gateway / Providers",
              "Per provider: health, circuit breaker, errors, retries and fallbacks, latency.", ["providers"])
    pv = 'provider=~"$provider"'
    b.row("State")
    b.timeline("Provider health (adapter-service)", [target(f"min by (provider) (aigw_provider_health{{{pv}}})",
                                                            "{{provider}}")],
               mappings=PROVIDER_MAPPINGS, steps=[(None, "red"), (1, "orange"), (2, "green")])
    b.timeline("Circuit breaker (routing-service)", [target(f"max by (provider) (aigw_routing_breaker_state{{{pv}}})",
                                                            "{{provider}}")],
               mappings=BREAKER_MAPPINGS, steps=[(None, "green"), (1, "orange"), (2, "red")])
    b.row("Errors")
    b.ts("5xx ratio by provider", [target(f'sum by (provider) (rate(aigw_requests_total{{{PM}, status=~"5.."}}[{RI}])) '
                                          f'/ sum by (provider) (rate(aigw_requests_total{{{PM}}}[{RI}]))', "{{provider}}")],
         unit="percentunit", desc="Requests answered 5xx (after retries and fallbacks), by the provider that served last.")
    b.ts("Requests by provider and status", [target(f"sum by (provider, status) (rate(aigw_requests_total{{{PM}}}[{RI}]))",
                                                    "{{provider}} {{status}}")], unit="reqps")
    b.ts("Failed attempts by error class", [target(f"sum by (provider, class) (rate(aigw_routing_provider_failures_total{{{pv}}}[{RI}]))",
                                                   "{{provider}} {{class}}")], unit="short")
    b.ts("Errors by type (gen_ai error.type)", [target(f'sum by (gen_ai_provider_name, error_type) (rate('
                                                       f'gen_ai_client_operation_duration_seconds_count{{{GPM}, error_type!="none"}}[{RI}]))',
                                                       "{{gen_ai_provider_name}} {{error_type}}")], unit="short")
    b.ts("Retries and fallbacks", [target(f"sum by (provider) (rate(aigw_routing_retries_total{{{pv}}}[{RI}]))", "retry {{provider}}"),
                                   target(f"sum by (provider) (rate(aigw_routing_fallbacks_total{{{pv}}}[{RI}]))", "fallback from {{provider}}")],
         unit="short")
    b.ts("Breaker transitions", [target(f"sum by (provider, state) (increase(aigw_routing_breaker_transitions_total{{{pv}}}[{RI}]))",
                                        "{{provider}} → {{state}}")], unit="short", custom={"drawStyle": "bars", "fillOpacity": 60})
    b.row("Latency")
    b.ts("Request duration p95 by provider", [target(f'histogram_quantile(0.95, sum by (le, gen_ai_provider_name) (rate('
                                                     f'gen_ai_client_operation_duration_seconds_bucket{{{GPM}, error_type="none"}}[{RI}])))',
                                                     "{{gen_ai_provider_name}}")], unit="s")
    b.ts("Time to first token p95 by provider and model", [target(f"histogram_quantile(0.95, sum by (le, gen_ai_provider_name, gen_ai_request_model) (rate("
                                                                  f"gen_ai_server_time_to_first_token_seconds_bucket{{{GPM}}}[{RI}])))",
                                                                  "{{gen_ai_provider_name}}/{{gen_ai_request_model}}")], unit="s")
    b.ts("Adapter upstream time (mean)", [target(f"sum by (provider, stream) (rate(aigw_adapter_upstream_seconds_sum{{{pv}}}[{RI}])) "
                                                 f"/ sum by (provider, stream) (rate(aigw_adapter_upstream_seconds_count{{{pv}}}[{RI}]))",
                                                 "{{provider}} stream={{stream}}")],
         unit="s", desc="adapter-service: sending a chat call to its answer (JSON) or its end (stream).")
    b.ts("Adapter calls by outcome", [target(f"sum by (provider, outcome, error_class) (rate(aigw_adapter_requests_total{{{pv}}}[{RI}]))",
                                             "{{provider}} {{outcome}} {{error_class}}")], unit="reqps")
    b.ts("Routing decisions by policy", [target(f"sum by (policy) (rate(aigw_routing_decisions_total[{RI}]))", "{{policy}}")],
         unit="short")
    b.ts("Requests by policy and context", [target(f"sum by (policy, context) (rate(aigw_requests_total{{{PM}}}[{RI}]))",
                                                   "{{policy}} / {{context}}")], unit="reqps")
    return b.json([PROVIDER_VAR, MODEL_VAR])


def costs():
    b = Board("aigw-costs", "AI Gateway / Costs and tokens",
              "Spend in USD and tokens by provider and model, and what the cache saved.", ["costs"])
    b.row("Time range totals")
    b.stat("Cost", [target(f"sum(increase(aigw_cost_usd_total{{{PM}}}[$__range]))")], w=6, unit="currencyUSD", decimals=2)
    b.stat("Saved by the cache", [target(f"sum(increase(aigw_cost_saved_usd_total{{{PM}}}[$__range]))")], w=6,
           unit="currencyUSD", decimals=2)
    b.stat("Input tokens", [target(f'sum(increase(gen_ai_client_token_usage_sum{{{GPM}, gen_ai_token_type="input"}}[$__range]))')],
           w=6, unit="short")
    b.stat("Output tokens", [target(f'sum(increase(gen_ai_client_token_usage_sum{{{GPM}, gen_ai_token_type="output"}}[$__range]))')],
           w=6, unit="short")
    b.row("Spend")
    b.ts("Cost per hour by provider", [target(f"sum by (provider) (rate(aigw_cost_usd_total{{{PM}}}[{RI}])) * 3600", "{{provider}}")],
         unit="currencyUSD")
    b.ts("Cost per hour by model", [target(f"sum by (provider, model) (rate(aigw_cost_usd_total{{{PM}}}[{RI}])) * 3600",
                                           "{{provider}}/{{model}}")], unit="currencyUSD")
    b.table("Cost by model (time range)", [
        target(f"sort_desc(sum by (provider, model) (increase(aigw_cost_usd_total{{{PM}}}[$__range])))", instant=True, fmt="table"),
    ], unit="currencyUSD", decimals=4)
    b.ts("Mean cost per request by model", [target(f"sum by (provider, model) (rate(aigw_cost_usd_total{{{PM}}}[{RI}])) / "
                                                   f"sum by (provider, model) (rate(aigw_requests_total{{{PM}}}[{RI}]))",
                                                   "{{provider}}/{{model}}")], unit="currencyUSD", decimals=5)
    b.row("Tokens")
    b.ts("Tokens per second by model and type", [target(f"sum by (gen_ai_request_model, gen_ai_token_type) (rate("
                                                         f"gen_ai_client_token_usage_sum{{{GPM}}}[{RI}]))",
                                                         "{{gen_ai_request_model}} {{gen_ai_token_type}}")], unit="short")
    b.ts("Tokens per request (p50, p95) by type", [
        target(f"histogram_quantile({q}, sum by (le, gen_ai_token_type) (rate(gen_ai_client_token_usage_bucket{{{GPM}}}[{RI}])))",
               f"p{int(q * 100)} {{{{gen_ai_token_type}}}}") for q in (0.5, 0.95)], unit="short")
    b.ts("Cache savings per hour by model", [target(f"sum by (provider, model) (rate(aigw_cost_saved_usd_total{{{PM}}}[{RI}])) * 3600",
                                                    "{{provider}}/{{model}}")], unit="currencyUSD")
    b.ts("Requests by context", [target(f"sum by (context) (rate(aigw_requests_total{{{PM}}}[{RI}]))", "{{context}}")],
         unit="reqps", desc="Contexts from the allowlist aigw.metrics.contexts; anything else is 'other'.")
    return b.json([PROVIDER_VAR, MODEL_VAR])


def cache():
    b = Board("aigw-cache", "AI Gateway / Cache",
              "Response cache of routing-service: hit ratio, lookups, what it saved, its Redis.", ["cache"])
    hit_ratio = (f'sum(rate(aigw_cache_lookups_total{{result="hit"}}[{RI}])) / '
                 f'sum(rate(aigw_cache_lookups_total{{result=~"hit|miss|coalesced"}}[{RI}]))')
    b.row("Now")
    b.stat("Hit ratio", [target(hit_ratio)], w=6, unit="percentunit", decimals=1)
    b.stat("Hits (time range)", [target('sum(increase(aigw_cache_lookups_total{result="hit"}[$__range]))')], w=6, unit="short")
    b.stat("Saved (time range)", [target(f"sum(increase(aigw_cost_saved_usd_total{{{PM}}}[$__range]))")], w=6,
           unit="currencyUSD", decimals=2)
    b.stat("Cache Redis gate", [target('max(aigw_redis_gate_open{gate="cache"})')], w=6, mappings=GATE_MAPPINGS,
           steps=[(None, "green"), (1, "red")])
    b.row("Lookups")
    b.ts("Hit ratio", [target(hit_ratio, "hit ratio")], unit="percentunit", minv=0, maxv=1,
         desc="hits / (hits + misses + coalesced); bypasses (Cache-Control: no-store, streams, ...) are not counted.")
    b.ts("Lookups by result", [target(f"sum by (result) (rate(aigw_cache_lookups_total[{RI}]))", "{{result}}")], unit="short")
    b.ts("Requests by cache result and model", [target(f"sum by (model, cache) (rate(aigw_requests_total{{{PM}}}[{RI}]))",
                                                       "{{model}} {{cache}}")], unit="reqps")
    b.ts("Hit ratio by model", [target(f'sum by (model) (rate(aigw_requests_total{{{PM}, cache="hit"}}[{RI}])) / '
                                       f'sum by (model) (rate(aigw_requests_total{{{PM}, cache=~"hit|miss"}}[{RI}]))', "{{model}}")],
         unit="percentunit", minv=0, maxv=1)
    b.row("Savings")
    b.ts("Saved per hour by model", [target(f"sum by (provider, model) (rate(aigw_cost_saved_usd_total{{{PM}}}[{RI}])) * 3600",
                                            "{{provider}}/{{model}}")], unit="currencyUSD")
    b.ts("Saved vs. spent per hour", [target(f"sum(rate(aigw_cost_saved_usd_total{{{PM}}}[{RI}])) * 3600", "saved"),
                                      target(f"sum(rate(aigw_cost_usd_total{{{PM}}}[{RI}])) * 3600", "spent")],
         unit="currencyUSD")
    return b.json([PROVIDER_VAR, MODEL_VAR])


def quotas():
    b = Board("aigw-quotas", "AI Gateway / Quotas and budgets",
              "The edge's quota gate (decisions, 429s by window and metric), budget alerts, and its Redis.", ["quotas"])
    b.row("Time range totals")
    b.stat("Quota rejections (429)", [target("sum(increase(aigw_quota_rejections_total[$__range]))")], w=6, unit="short")
    b.stat("Budgets at 80 %", [target('sum(increase(aigw_quota_budget_alerts_total{threshold="80"}[$__range]))')], w=6,
           unit="short", steps=[(None, "green"), (1, "orange")])
    b.stat("Budgets at 100 %", [target('sum(increase(aigw_quota_budget_alerts_total{threshold="100"}[$__range]))')], w=6,
           unit="short", steps=[(None, "green"), (1, "red")])
    b.stat("Quota Redis gate", [target('max(aigw_redis_gate_open{gate="quota"})')], w=6, mappings=GATE_MAPPINGS,
           steps=[(None, "green"), (1, "red")])
    b.row("Gate")
    b.ts("Quota decisions", [target(f"sum by (decision) (rate(aigw_quota_decisions_total[{RI}]))", "{{decision}}")],
         unit="short", desc="reserved; unlimited (no limit applies); local (Redis down or not loaded: the per-instance "
                            "limit admitted it); refused (429).")
    b.ts("Rejections by window and metric", [target(f"sum by (window, metric) (rate(aigw_quota_rejections_total[{RI}]))",
                                                    "{{window}} {{metric}}")], unit="short")
    b.ts("429 answers by route (edge)", [target(f'sum by (route) (rate(aigw_edge_requests_total{{status="429"}}[{RI}]))',
                                                "{{route}}")], unit="reqps")
    b.ts("Budget alerts by threshold and window", [target(f"sum by (threshold, window) (increase(aigw_quota_budget_alerts_total[{RI}]))",
                                                          "{{threshold}} % {{window}}")],
         unit="short", custom={"drawStyle": "bars", "fillOpacity": 60},
         desc="usage-service's QuotaAlerts: one per user and window crossing 80 % or 100 % of a budget.")
    b.timeline("Redis gates", [target("max by (job, gate) (aigw_redis_gate_open)", "{{job}} {{gate}}")],
               mappings=GATE_MAPPINGS, w=24, h=6, steps=[(None, "green"), (1, "red")])
    return b.json([])


def main():
    for name, fn in (("overview", overview), ("providers", providers), ("costs", costs), ("cache", cache),
                     ("quotas", quotas)):
        with open(os.path.join(HERE, f"aigw-{name}.json"), "w") as f:
            json.dump(fn(), f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
