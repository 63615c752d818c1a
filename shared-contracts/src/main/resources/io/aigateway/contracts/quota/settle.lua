-- Settles one reservation made by reserve.lua: the reserved estimate is released (c:<subject>:r) and the actual
-- usage is added to the windows the request started in, which then expire an hour after they end. Idempotent: the
-- reservation is deleted, so a second settle of the same id does nothing. A reservation already released by expiry
-- only adds the actual usage. After a Redis flush, a settle may create a window's counter before usage-service has
-- rebuilt it; the rebuild sets the used amounts from PostgreSQL over it.
--
-- ARGV[1] prefix, ARGV[2] reservation id, ARGV[3] requests to charge (0 or 1), ARGV[4] tokens, ARGV[5] nano-USD
-- Returns 1 when a reservation was settled, 0 when there was none (never made, settled, or lost with Redis).
local P = ARGV[1]
local rk = P .. 'r:' .. ARGV[2]
local flat = redis.call('HGETALL', rk)
if #flat == 0 then
  return 0
end
redis.call('DEL', rk)
local h = {}
for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
local areq, atok, ausd = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local i = 1
while h['s' .. i] do
  local subject, member = h['s' .. i], h['m' .. i]
  local f = {}
  for part in string.gmatch(member, '[^|]+') do f[#f + 1] = part end
  local released = redis.call('ZREM', P .. 'p:' .. subject, member)
  if released == 1 then
    local rk = P .. 'c:' .. subject .. ':r'
    if redis.call('EXISTS', rk) == 1 then
      redis.call('HINCRBY', rk, 'rreq', -tonumber(f[2]))
      redis.call('HINCRBY', rk, 'rtok', -tonumber(f[3]))
      redis.call('HINCRBY', rk, 'rusd', -tonumber(f[4]))
    end
  end
  if areq ~= 0 or atok ~= 0 or ausd ~= 0 then
    local minute, day = tonumber(f[5]), tonumber(f[6])
    for _, w in ipairs({{'m', f[5], (minute + 1) * 60000}, {'d', f[6], (day + 1) * 86400000}, {'M', f[7], tonumber(f[8])}}) do
      local ck = P .. 'c:' .. subject .. ':' .. w[1] .. w[2]
      if areq ~= 0 then redis.call('HINCRBY', ck, 'req', areq) end
      if atok ~= 0 then redis.call('HINCRBY', ck, 'tok', atok) end
      if ausd ~= 0 then redis.call('HINCRBY', ck, 'usd', ausd) end
      redis.call('PEXPIREAT', ck, w[3] + 3600000)
    end
  end
  i = i + 1
end
return 1
