-- Quota check and reservation (gateway-edge). The key layout is QuotaKeys (Java); every key is derived here from the
-- prefix, so one call covers the user's and the key's limits (a single Redis, not Cluster).
--
-- ARGV[1] prefix, e.g. "aigw:q:"
-- ARGV[2] user id
-- ARGV[3] key id ('' when the caller has none)
-- ARGV[4] reservation id (unique per call)
-- ARGV[5] estimated tokens of one request (prompt estimate + completion allowance)
-- ARGV[6] estimated spend of one request, nano-USD (integer)
-- ARGV[7] reservation lifetime, ms (an unsettled reservation is released after it)
-- ARGV[8] lease: most requests one call may reserve for (absent or < 2: one request, no lease)
-- ARGV[9] lease head-room factor F: a lease of n requests is granted only while every applicable limit has room for
--         F * n such requests, so a lease never takes more than 1/F of what is left (default 16)
-- ARGV[10] lease: least time left in the current minute, ms (no lease closer to a window's end; default 250)
--
-- Returns {status, code, retryAfterMs, reqLimit, reqRemaining, reqResetMs, tokLimit, tokRemaining, tokResetMs, tier,
--          refused | slots, minuteLeftMs}
--   status 0 admitted and reserved for this request; 4 admitted, and a lease of `slots` requests (this one included)
--   reserved: the edge admits up to slots - 1 more requests of this user and key without calling Redis, for at most
--   minuteLeftMs (they are charged to the windows of this call), then closes the lease (settle.lua, slot 'c');
--   1 refused; 2 limits not loaded (usage-service has not filled Redis: the caller applies its local limit);
--   3 admitted, no limit applies (nothing reserved)
--   code (when refused) 1 a per-minute window (rate_limit_exceeded), 2 a day or month budget (insufficient_quota)
--   retryAfterMs: until the last refusing window ends; the header fields are -1 when no such limit applies.
--   refused (status 1): '<user|key> <window>:<metric>' of the refusing limit that ends last
--
-- Admission: requests need used + reserved + 1 <= limit; tokens and spend need used + reserved < limit (head-room):
-- the estimate is reserved atomically, so concurrent requests see each other, and the last one admitted can take
-- a window past its limit by at most its own reservation. Used amounts are per window (c:<subject>:<window id>);
-- what is reserved is per subject (c:<subject>:r) and counts against every window: a reservation lives minutes at
-- most, and one hash instead of three keeps this script and settle.lua to a third of the writes.
--
-- A reservation is one hash r:<id> (subjects s1, s2; window ids w; what it still holds hreq htok husd; closed, present
-- once no more requests may be added to it: at once for one request, when the edge closes a lease) and one member
-- <id> of each subject's p:<subject> (score: expiry), which the sweep below uses to release it if never settled.
local P = ARGV[1]
if redis.call('EXISTS', P .. 'ready') == 0 then
  return {2}
end
local user, key, id = ARGV[2], ARGV[3], ARGV[4]
local estTok, estUsd, ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function civil(days) -- days since 1970-01-01 -> year, month (H. Hinnant's civil_from_days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m
end
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local minute = math.floor(now / 60000)
local day = math.floor(now / 86400000)
local y, mo = civil(day)
local ny, nmo = y, mo + 1
if nmo == 13 then ny, nmo = y + 1, 1 end
local windows = {
  {w = 'm', id = tostring(minute), reset = (minute + 1) * 60000},
  {w = 'd', id = tostring(day), reset = (day + 1) * 86400000},
  {w = 'M', id = string.format('%04d%02d', y, mo), reset = days_from_civil(ny, nmo, 1) * 86400000},
}
local METRICS = {'req', 'tok', 'usd'}

local function hash(k)
  local flat = redis.call('HGETALL', k)
  local out, n = {}, 0
  for i = 1, #flat, 2 do
    out[flat[i]] = flat[i + 1]
    if flat[i] ~= 'tier' then n = n + 1 end
  end
  return out, n
end

local subjects = {}
local lu, nu = hash(P .. 'l:u:{' .. user .. '}')
if next(lu) == nil then
  lu, nu = hash(P .. 'l:d')
end
local tier = lu['tier'] or ''
if nu > 0 then
  subjects[#subjects + 1] = {name = 'u:{' .. user .. '}', limits = lu}
end
if key ~= '' then
  local lk, nk = hash(P .. 'l:k:{' .. key .. '}')
  if nk > 0 then
    subjects[#subjects + 1] = {name = 'k:{' .. key .. '}', limits = lk}
  end
end
if #subjects == 0 then
  return {3, 0, 0, -1, -1, -1, -1, -1, -1, tier}
end

local function ckey(subject, win)
  return P .. 'c:' .. subject .. ':' .. win.w .. win.id
end

-- release the reservations of this subject that were never settled and have expired (all their subjects at once).
-- Amounts are negated as 0 - x: Lua's -0 would reach Redis as "-0", which HINCRBY refuses.
local function sweep(subject)
  local pk = P .. 'p:' .. subject
  local expired = redis.call('ZRANGEBYSCORE', pk, '-inf', now, 'LIMIT', 0, 8)
  for _, rid in ipairs(expired) do
    local rec = P .. 'r:' .. rid
    local h = redis.call('HMGET', rec, 's1', 's2', 'hreq', 'htok', 'husd')
    for i = 1, 2 do
      local s = h[i]
      if s then
        local rk = P .. 'c:' .. s .. ':r'
        if redis.call('EXISTS', rk) == 1 then
          redis.call('HINCRBY', rk, 'rreq', 0 - (tonumber(h[3]) or 0))
          redis.call('HINCRBY', rk, 'rtok', 0 - (tonumber(h[4]) or 0))
          redis.call('HINCRBY', rk, 'rusd', 0 - (tonumber(h[5]) or 0))
        end
        redis.call('ZREM', P .. 'p:' .. s, rid)
      end
    end
    redis.call('ZREM', pk, rid)
    redis.call('DEL', rec)
  end
end

local refused, code, retry, what = false, 0, 0, ''
local req = {limit = -1, remaining = -1, reset = -1}
local tok = {limit = -1, remaining = -1, reset = -1}
local function track(slot, limit, remaining, reset)
  if slot.limit == -1 or remaining < slot.remaining then
    slot.limit, slot.remaining, slot.reset = limit, remaining, reset - now
  end
end

local held = {} -- subject -> window -> used + reserved, per metric
for _, s in ipairs(subjects) do
  sweep(s.name)
  local r = redis.call('HMGET', P .. 'c:' .. s.name .. ':r', 'rreq', 'rtok', 'rusd')
  local rreq, rtok, rusd = tonumber(r[1]) or 0, tonumber(r[2]) or 0, tonumber(r[3]) or 0
  held[s.name] = {}
  for _, win in ipairs(windows) do
    local v = redis.call('HMGET', ckey(s.name, win), 'req', 'tok', 'usd')
    local h = {
      req = (tonumber(v[1]) or 0) + rreq,
      tok = (tonumber(v[2]) or 0) + rtok,
      usd = (tonumber(v[3]) or 0) + rusd,
    }
    held[s.name][win.w] = h
    for _, metric in ipairs(METRICS) do
      local limit = tonumber(s.limits[win.w .. ':' .. metric])
      if limit then
        local ok
        if metric == 'req' then ok = h.req + 1 <= limit else ok = h[metric] < limit end
        if not ok then
          refused = true
          if win.w == 'm' then code = math.max(code, 1) else code = 2 end
          if win.reset - now >= retry then
            retry = win.reset - now
            what = (string.sub(s.name, 1, 1) == 'u' and 'user ' or 'key ') .. win.w .. ':' .. metric
          end
        end
        if metric == 'req' then
          track(req, limit, limit - h.req, win.reset)
        elseif metric == 'tok' then
          track(tok, limit, limit - h.tok, win.reset)
        end
      end
    end
  end
end

if refused then
  -- the header values describe the state without this request
  if req.limit ~= -1 then req.remaining = math.max(0, req.remaining) end
  if tok.limit ~= -1 then tok.remaining = math.max(0, tok.remaining) end
  return {1, code, retry, req.limit, req.remaining, req.reset, tok.limit, tok.remaining, tok.reset, tier, what}
end

-- a lease: as many requests as every limit has room for, divided by the head-room factor, up to the most asked
local slots = 1
local maxSlots, factor, minLeft = tonumber(ARGV[8]) or 1, tonumber(ARGV[9]) or 16, tonumber(ARGV[10]) or 250
local minuteLeft = windows[1].reset - now
if maxSlots >= 2 and minuteLeft >= minLeft then
  slots = maxSlots
  for _, s in ipairs(subjects) do
    for _, win in ipairs(windows) do
      local h = held[s.name][win.w]
      for _, metric in ipairs(METRICS) do
        local limit = tonumber(s.limits[win.w .. ':' .. metric])
        local per = (metric == 'req' and 1) or (metric == 'tok' and estTok) or estUsd
        if limit and per > 0 then
          slots = math.min(slots, math.floor((limit - h[metric]) / (per * factor)))
        end
      end
    end
  end
  if slots < 2 then slots = 1 end
end

local wids = windows[1].id .. '|' .. windows[2].id .. '|' .. windows[3].id .. '|' .. windows[3].reset
local rec = P .. 'r:' .. id
redis.call('HSET', rec, 'w', wids, 'hreq', slots, 'htok', slots * estTok, 'husd', slots * estUsd)
if slots == 1 then
  redis.call('HSET', rec, 'closed', 1)
end
for idx, s in ipairs(subjects) do
  local rk = P .. 'c:' .. s.name .. ':r'
  redis.call('HINCRBY', rk, 'rreq', slots)
  redis.call('HINCRBY', rk, 'rtok', slots * estTok)
  redis.call('HINCRBY', rk, 'rusd', slots * estUsd)
  redis.call('PEXPIRE', rk, ttl + 3600000)
  local pk = P .. 'p:' .. s.name
  redis.call('ZADD', pk, now + ttl, id)
  redis.call('PEXPIRE', pk, ttl + 3600000)
  redis.call('HSET', rec, 's' .. idx, s.name)
end
redis.call('PEXPIRE', rec, ttl + 3600000)
-- the header values describe the state with this request's reservation (a lease's other slots are not counted: they
-- are the edge's to give, and it reports them as it does)
if req.limit ~= -1 then req.remaining = math.max(0, req.remaining - 1) end
if tok.limit ~= -1 then tok.remaining = math.max(0, tok.remaining - estTok) end
return {slots == 1 and 0 or 4, 0, 0, req.limit, req.remaining, req.reset, tok.limit, tok.remaining, tok.reset, tier,
    slots, minuteLeft}
