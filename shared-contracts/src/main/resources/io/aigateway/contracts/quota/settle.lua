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
-- The items of one reservation (a lease's slots, settled together) are applied in their batch order against one read
-- of the reservation (one HMGET of its marks), and their totals are written once (one HSET, one HINCRBY per field):
-- the result is the one of applying them one by one. Amounts are added up per counter and written once each too; they
-- are negated as 0 - x (Lua's -0 would reach Redis as "-0", which HINCRBY refuses).
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

-- the items by reservation (in the order each reservation first appears), each its argument base in batch order
local groups, ids = {}, {}
for i = 0, n - 1 do
  local b = 2 + i * 8
  local id = ARGV[b + 1]
  local g = groups[id]
  if not g then
    g = {}
    groups[id] = g
    ids[#ids + 1] = id
  end
  g[#g + 1] = b
end

local function markOf(slot)
  return slot == 'c' and 'closed' or ('x' .. slot)
end

local applied = 0
for _, id in ipairs(ids) do
  local items = groups[id]
  local rec = P .. 'r:' .. id
  local fields, at = {'s1', 's2', 'w', 'closed', 'hreq'}, {}
  for _, b in ipairs(items) do
    local mark = markOf(ARGV[b + 2])
    if not at[mark] then
      fields[#fields + 1] = mark
      at[mark] = #fields
    end
  end
  local h = redis.call('HMGET', rec, unpack(fields))
  -- no such reservation (never made, expired and swept, or lost with Redis): nothing to do
  if h[3] then
    local marks = {}
    for mark, k in pairs(at) do marks[mark] = h[k] end
    local closed, left = h[4] and true or false, tonumber(h[5]) or 0
    local sets, nsets = {}, 0
    local relq, relt, relu, released = 0, 0, 0, false
    local chq, cht, chu = 0, 0, 0
    for _, b in ipairs(items) do
      local slot = ARGV[b + 2]
      local rq, rt, ru = tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5])
      local aq, at2, au = tonumber(ARGV[b + 6]), tonumber(ARGV[b + 7]), tonumber(ARGV[b + 8])
      local mark = markOf(slot)
      local prev = marks[mark]
      local release, charge, value = false, false, nil
      if not prev then
        if not (closed and left <= 0) then
          release, charge = true, slot ~= 'c'
          value = slot == 'c' and '1' or (aq .. '|' .. at2 .. '|' .. au)
          if slot == 'c' then closed = true end
        end
      elseif slot ~= 'c' then
        -- the slot was settled before: a second attempt of the same request (the edge resent it to routing) is
        -- charged what it used beyond what was charged, so a request counts at its largest settle, never twice
        local p = {}
        for part in string.gmatch(prev, '[^|]+') do p[#p + 1] = tonumber(part) end
        local dq = math.max(0, aq - (p[1] or 0))
        local dt = math.max(0, at2 - (p[2] or 0))
        local du = math.max(0, au - (p[3] or 0))
        if dq > 0 or dt > 0 or du > 0 then
          charge = true
          aq, at2, au = dq, dt, du
          value = ((p[1] or 0) + dq) .. '|' .. ((p[2] or 0) + dt) .. '|' .. ((p[3] or 0) + du)
        end
      end
      if value then
        if not sets[mark] then nsets = nsets + 1 end
        marks[mark], sets[mark] = value, value
      end
      if release or charge then
        applied = applied + 1
        if release then
          released = true
          left = left - rq
          relq, relt, relu = relq + rq, relt + rt, relu + ru
        end
        if charge then
          chq, cht, chu = chq + aq, cht + at2, chu + au
        end
      end
    end
    if nsets > 0 then
      local args = {}
      for mark, value in pairs(sets) do
        args[#args + 1] = mark
        args[#args + 1] = value
      end
      redis.call('HSET', rec, unpack(args))
    end
    local w = {}
    for part in string.gmatch(h[3], '[^|]+') do w[#w + 1] = part end
    local minute, day = tonumber(w[1]), tonumber(w[2])
    for k = 1, 2 do
      local s = h[k]
      if s then
        if released then
          local rk = P .. 'c:' .. s .. ':r'
          add(rk, 'rreq', 0 - relq)
          add(rk, 'rtok', 0 - relt)
          add(rk, 'rusd', 0 - relu)
        end
        if chq ~= 0 or cht ~= 0 or chu ~= 0 then
          for _, win in ipairs({{'m', w[1], (minute + 1) * 60000}, {'d', w[2], (day + 1) * 86400000},
                                {'M', w[3], tonumber(w[4])}}) do
            local ck = P .. 'c:' .. s .. ':' .. win[1] .. win[2]
            add(ck, 'req', chq)
            add(ck, 'tok', cht)
            add(ck, 'usd', chu)
            expireAt[ck] = win[3] + 3600000
          end
        end
      end
    end
    if released then
      left = redis.call('HINCRBY', rec, 'hreq', 0 - relq)
      if relt ~= 0 then redis.call('HINCRBY', rec, 'htok', 0 - relt) end
      if relu ~= 0 then redis.call('HINCRBY', rec, 'husd', 0 - relu) end
      if left <= 0 and closed then
        -- closed and holding nothing: no longer pending; kept a minute for a late second attempt of one of its slots
        redis.call('PEXPIRE', rec, 60000)
        for k = 1, 2 do
          if h[k] then redis.call('ZREM', P .. 'p:' .. h[k], id) end
        end
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
