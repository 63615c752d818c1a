-- wrk script of deploy/bin/bench: POSTs one chat body over every connection, counts the answers by status and by
-- x-aigw-cache, stops sending at a deadline and lets the requests in flight finish (so every request sent is
-- answered and counted: the usage-row check of the bench can be exact), and writes a JSON summary.
--
--   BENCH_BODY=body.json BENCH_DURATION_S=20 BENCH_OUT=run.json BENCH_THREADS=2 [BENCH_STREAM=1] [BENCH_SLICE_S=5] \
--     wrk -t2 -c100 -d25s --timeout 10s --latency -s deploy/bench/chat.lua -H 'Authorization: Bearer …' URL
--
-- BENCH_DURATION_S is the measured window (seconds, may be fractional). wrk's own -d must be longer: it is only the
-- backstop for requests that never end. After the window a connection sends nothing more (delay() answers an hour);
-- a thread whose connections have all been answered stops its own event loop, and the last one to stop ends wrk
-- (a SIGINT to itself; BENCH_THREADS = wrk's -t, marker file BENCH_OUT.stopped), so wrk ends once the last answer
-- arrived. requests/s = answers / BENCH_DURATION_S (the answers to requests sent within the window).
-- BENCH_STREAM=1: a 200 whose body lacks "data: [DONE]" counts as an error (a stream cut after its headers).
-- BENCH_SLICE_S: answers within the window are also counted per slice of that many seconds since the start (a
-- warm-up curve); the answers that arrived after the window (the drain) apart.
-- Latency = wrk's: from writing the request to the last byte of the answer (time to last byte for streams).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
typedef struct { long tv_sec; long tv_usec; } bench_timeval;
typedef struct { bench_timeval ru_utime; bench_timeval ru_stime; long ru_rest[14]; } bench_rusage;
int getrusage(int who, bench_rusage *usage);
int getpid(void);
int kill(int pid, int sig);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")
local function now_s()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot read " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = "POST"
wrk.body = read_file(os.getenv("BENCH_BODY"))
wrk.headers["Content-Type"] = "application/json"

local duration = tonumber(os.getenv("BENCH_DURATION_S") or "10")
local slice = tonumber(os.getenv("BENCH_SLICE_S") or "5")
local stream = os.getenv("BENCH_STREAM") == "1"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "0")
local stopped_file = (os.getenv("BENCH_OUT") or "bench") .. ".stopped"

-- ---------------------------------------------------------------------------------------- per thread (globals
-- so that done() can read them with thread:get)
sent, answered, ok, bad_stream, drained = 0, 0, 0, 0, 0
statuses, cache, slices = {}, {}, {}
local t0, deadline, req, done_sending
-- wrk calls request() once on its first thread, after init(), to check the request; that one is not sent.
local verify_pending = false

function init(args)
  req = wrk.format()
  verify_pending = (thread_index == 1)
  t0 = now_s()
  deadline = t0 + duration
  done_sending = false
end

function delay()
  if done_sending then return 3600000 end
  if now_s() >= deadline then
    done_sending = true
    return 3600000
  end
  return 0
end

function request()
  if verify_pending then
    verify_pending = false
    return req
  end
  sent = sent + 1
  return req
end

function response(status, headers, body)
  answered = answered + 1
  local t = now_s()
  if t >= deadline then
    drained = drained + 1
  else
    local s = math.floor((t - t0) / slice) + 1
    slices[s] = (slices[s] or 0) + 1
  end
  if status == 200 then
    ok = ok + 1
    if stream and not string.find(body, "data: [DONE]", 1, true) then bad_stream = bad_stream + 1 end
  else
    local k = tostring(status)
    statuses[k] = (statuses[k] or 0) + 1
  end
  local c = headers["x-aigw-cache"] or headers["X-Aigw-Cache"] or headers["X-AIGW-Cache"]
  if c then cache[c] = (cache[c] or 0) + 1 end
  if answered >= sent and t >= deadline then
    done_sending = true
    wrk.thread:stop()
    all_stopped()
  end
end

-- wrk's main thread sleeps for the whole -d before it collects the threads: the last thread to stop ends that
-- sleep with the SIGINT that Ctrl-C would send (wrk then reports as usual).
function all_stopped()
  local f = io.open(stopped_file, "a")
  if not f then return end
  f:write("x\n")
  f:close()
  local n = 0
  for _ in io.lines(stopped_file) do n = n + 1 end
  if nthreads > 0 and n >= nthreads then ffi.C.kill(ffi.C.getpid(), 2) end
end

-- ---------------------------------------------------------------------------------------- main
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

local function json_map(m)
  local parts = {}
  for k, v in pairs(m) do table.insert(parts, string.format("%q:%d", tostring(k), v)) end
  table.sort(parts)
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local tot = { sent = 0, answered = 0, ok = 0, bad_stream = 0, drained = 0 }
  local st, ca, sl = {}, {}, {}
  for _, t in ipairs(threads) do
    for k, _ in pairs(tot) do tot[k] = tot[k] + (t:get(k) or 0) end
    for k, v in pairs(t:get("statuses") or {}) do st[k] = (st[k] or 0) + v end
    for k, v in pairs(t:get("cache") or {}) do ca[k] = (ca[k] or 0) + v end
    for k, v in pairs(t:get("slices") or {}) do sl[k] = (sl[k] or 0) + v end
  end
  local slice_list, n = {}, 0
  for k, _ in pairs(sl) do if k > n then n = k end end
  for i = 1, n do slice_list[i] = tostring(sl[i] or 0) end
  local ru = ffi.new("bench_rusage")
  ffi.C.getrusage(0, ru) -- RUSAGE_SELF: every thread of wrk, the whole run
  local cpu_ms = (tonumber(ru.ru_utime.tv_sec) + tonumber(ru.ru_stime.tv_sec)) * 1000
      + (tonumber(ru.ru_utime.tv_usec) + tonumber(ru.ru_stime.tv_usec)) / 1000
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write
  local non2xx = tot.answered - tot.ok
  local p = function(q) return latency:percentile(q) / 1000 end
  local out = string.format(
    '{"durationS":%.3f,"wrkRuntimeS":%.3f,"sent":%d,"answered":%d,"ok200":%d,"rps":%.1f,' ..
    '"latencyMs":{"p50":%.3f,"p90":%.3f,"p95":%.3f,"p99":%.3f,"max":%.3f,"mean":%.3f},' ..
    '"errors":{"total":%d,"non2xx":%d,"streamWithoutDone":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"unanswered":%d},"status":%s,"cache":%s,"sliceS":%s,"slices":[%s],"drained":%d,"wrkCpuMs":%.1f}',
    duration, summary.duration / 1e6, tot.sent, tot.answered, tot.ok, tot.answered / duration,
    p(50), p(90), p(95), p(99), latency.max / 1000, latency.mean / 1000,
    non2xx + tot.bad_stream + socket_errors, non2xx, tot.bad_stream, e.connect, e.read, e.write, e.timeout,
    tot.sent - tot.answered, json_map(st), json_map(ca), tostring(slice), table.concat(slice_list, ","), tot.drained, cpu_ms)
  local path = os.getenv("BENCH_OUT")
  if path and path ~= "" then
    local f = assert(io.open(path, "w"))
    f:write(out, "\n")
    f:close()
  else
    io.write("BENCH_JSON ", out, "\n")
  end
end
