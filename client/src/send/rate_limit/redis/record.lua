-- Counts requests the store does not know: those a process sent on its local
-- fallback, or, when the count began again (the store lost it), those it had
-- sent in the last window and still has in flight. Keys as for acquire.lua.
-- ARGV: 1 lease (ms), 2 a pause (ms) for every process when anything is
-- counted here, so that the others count theirs too before any slot goes
-- (0 for none), 3 the number of windows, then each window's length (ms),
-- then how many new slots in flight to make, how many known ids in flight
-- follow, those ids, and the ages (ms) of the answered requests. Returns the
-- epoch, then the new slots' ids.
local lease = tonumber(ARGV[1])
local pause = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local longest = 0
for i = 1, count do
  longest = math.max(longest, tonumber(ARGV[3 + i]))
end
local keep = lease + longest
local epoch = redis.call('GET', KEYS[5])
if not epoch then
  epoch = tostring(now)
end
redis.call('SET', KEYS[5], epoch, 'PX', keep)
local new = tonumber(ARGV[4 + count])
local known = tonumber(ARGV[5 + count])
local first_age = 6 + count + known
for j = first_age, #ARGV do
  local id = now .. '-' .. redis.call('INCR', KEYS[4])
  for i = 1, count do
    redis.call('ZADD', KEYS[5 + i], now - tonumber(ARGV[j]), id)
  end
end
for i = 1, count do
  if redis.call('EXISTS', KEYS[5 + i]) == 1 then
    redis.call('PEXPIRE', KEYS[5 + i], tonumber(ARGV[3 + i]))
  end
end
for j = 6 + count, first_age - 1 do
  redis.call('ZADD', KEYS[1], now + lease, ARGV[j])
end
local result = {epoch}
for j = 1, new do
  local id = now .. '-' .. redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[1], now + lease, id)
  result[j + 1] = id
end
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('PEXPIRE', KEYS[4], keep)
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], keep)
end
local counted = new + known + (#ARGV - first_age + 1)
if pause > 0 and counted > 0 and redis.call('PTTL', KEYS[2]) < pause then
  redis.call('SET', KEYS[2], '1', 'PX', pause)
end
return result
