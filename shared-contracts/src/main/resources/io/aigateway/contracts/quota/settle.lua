-- Settles requests of reservations made by reserve.lua, and closes leases; a batch of items in one call. Each item
-- releases what it held and charges the actual usage to the windows its reservation was made in (they expire an
-- hour after they end).
--
-- ARGV[1] prefix, ARGV[2] number of items, then 8 arguments per item:
--   id, slot, release requests, release tokens, release nano-USD, charge requests (0 or 1), tokens, nano-USD
--   slot: the request's number in its reservation (1 for a reservation of one request, 1..n in a lease), or 'c' to
--   close a lease: release what the edge did not give out (charges 0).
-- Each item counts once: the reservation records each settled slot (field x<slot>, what it charged) and its closing.
-- An item seen again (a retried batch) does nothing; a slot settled again with more usage (routing served a request
-- twice because the edge resent it, the first attempt cancelled and charged nothing) is charged the difference, so a
-- request counts at its largest settle. An item whose reservation is gone (expired and swept, or lost with Redis)
-- does nothing: usage-service's reconcile corrects the used counters from PostgreSQL. A reservation closed and
-- holding nothing leaves the pending sets and expires a minute later.
-- Amounts are added up per counter and written once each; they are negated as 0 - x (Lua's -0 would reach Redis as
-- "-0", which HINCRBY refuses).
-- Returns the number of items applied.
local P = ARGV[1]
local n = tonumber(ARGV[2])
local adds, order, expireAt = {}, {}, {}
local function add(key, field, v)
  if v == 0 then return end
  local t = adds[key]
  if not t then
    t = {}
    adds[key] = t
    order[#order + 1] = key
  end
  t[field] = (t[field] or 0) + v
end

local applied = 0
for i = 0, n - 1 do
  local b = 2 + i * 8
  local id, slot = ARGV[b + 1], ARGV[b + 2]
  local rq, rt, ru = tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5])
  local aq, at, au = tonumber(ARGV[b + 6]), tonumber(ARGV[b + 7]), tonumber(ARGV[b + 8])
  local rec = P .. 'r:' .. id
  local mark = slot == 'c' and 'closed' or ('x' .. slot)
  local h = redis.call('HMGET', rec, 's1', 's2', 'w', 'closed', 'hreq', mark)
  local done = h[4] and (tonumber(h[5]) or 0) <= 0
  local release, charge = false, false
  if not h[3] then
    -- no such reservation (never made, expired and swept, or lost with Redis): nothing to do
  elseif not h[6] then
    if not done then
      release, charge = true, slot ~= 'c'
      redis.call('HSET', rec, mark, slot == 'c' and 1 or (aq .. '|' .. at .. '|' .. au))
    end
  elseif slot ~= 'c' then
    -- the slot was settled before: a second attempt of the same request (the edge resent it to routing) is charged
    -- what it used beyond what was charged, so a request counts at its largest settle, never twice
    local prev = {}
    for part in string.gmatch(h[6], '[^|]+') do prev[#prev + 1] = tonumber(part) end
    local dq, dt, du = math.max(0, aq - (prev[1] or 0)), math.max(0, at - (prev[2] or 0)), math.max(0, au - (prev[3] or 0))
    if dq > 0 or dt > 0 or du > 0 then
      charge = true
      aq, at, au = dq, dt, du
      redis.call('HSET', rec, mark, (prev[1] + dq) .. '|' .. (prev[2] + dt) .. '|' .. (prev[3] + du))
    end
  end
  if release or charge then
    applied = applied + 1
    local left = 0
    if release then
      left = redis.call('HINCRBY', rec, 'hreq', 0 - rq)
      redis.call('HINCRBY', rec, 'htok', 0 - rt)
      redis.call('HINCRBY', rec, 'husd', 0 - ru)
    end
    local w = {}
    for part in string.gmatch(h[3], '[^|]+') do w[#w + 1] = part end
    local minute, day = tonumber(w[1]), tonumber(w[2])
    for k = 1, 2 do
      local s = h[k]
      if s then
        if release then
          local rk = P .. 'c:' .. s .. ':r'
          add(rk, 'rreq', 0 - rq)
          add(rk, 'rtok', 0 - rt)
          add(rk, 'rusd', 0 - ru)
        end
        if charge and (aq ~= 0 or at ~= 0 or au ~= 0) then
          for _, win in ipairs({{'m', w[1], (minute + 1) * 60000}, {'d', w[2], (day + 1) * 86400000},
                                {'M', w[3], tonumber(w[4])}}) do
            local ck = P .. 'c:' .. s .. ':' .. win[1] .. win[2]
            add(ck, 'req', aq)
            add(ck, 'tok', at)
            add(ck, 'usd', au)
            expireAt[ck] = win[3] + 3600000
          end
        end
      end
    end
    if release and left <= 0 and (h[4] or slot == 'c') then
      -- closed and holding nothing: no longer pending; kept a minute for a late second attempt of one of its slots
      redis.call('PEXPIRE', rec, 60000)
      for k = 1, 2 do
        if h[k] then redis.call('ZREM', P .. 'p:' .. h[k], id) end
      end
    end
  end
end

for _, key in ipairs(order) do
  -- a subject's reserved amounts are only lowered while they exist (never below what a lost hash would start from)
  if expireAt[key] or redis.call('EXISTS', key) == 1 then
    for field, v in pairs(adds[key]) do
      if v ~= 0 then redis.call('HINCRBY', key, field, v) end
    end
    if expireAt[key] then redis.call('PEXPIREAT', key, expireAt[key]) end
  end
end
return applied
