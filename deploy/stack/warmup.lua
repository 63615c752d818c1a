-- Warm-up traffic for deploy/bin/stack (wrk -s): JSON and streamed chat completions with the cache bypassed, cache
-- hits, and the model list, in turn, so the JIT of every service compiles the paths real traffic takes.
-- The key comes from the environment (KEY), never from the command line.
local key = os.getenv("KEY") or ""
local model = os.getenv("WARMUP_MODEL") or "fake/fake-chat"
local function body(stream, text)
  return '{"model":"' .. model .. '","messages":[{"role":"system","content":"You are warming up a gateway."},'
      .. '{"role":"user","content":"' .. text .. '"}]' .. (stream and ',"stream":true' or '') .. '}'
end
local requests = {}
local n = 0
local statuses = {}

function init(args)
  local auth = "Bearer " .. key
  local json = { ["Content-Type"] = "application/json", ["Authorization"] = auth, ["Cache-Control"] = "no-store" }
  local cached = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
  requests[1] = wrk.format("POST", "/v1/chat/completions", json, body(false, "Say hello, briefly."))
  requests[2] = wrk.format("POST", "/v1/chat/completions", json, body(true, "Count to five."))
  requests[3] = wrk.format("POST", "/v1/chat/completions", json, body(false, "Name a colour."))
  requests[4] = wrk.format("POST", "/v1/chat/completions", json, body(true, "Name a fruit."))
  requests[5] = wrk.format("POST", "/v1/chat/completions", cached, body(false, "What is warm-up?"))
  requests[6] = wrk.format("GET", "/v1/models", { ["Authorization"] = auth })
end

function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, reqs)
  -- per-thread tables are not visible here; wrk's own totals are
  io.write(string.format("warmup: %d requests in %.1fs, %d non-2xx/3xx, %d socket errors\n", summary.requests,
      summary.duration / 1e6, summary.errors.status,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
