-- Counts requests sent without the store (a process on its local fallback).
-- Keys as for acquire.lua. ARGV: 1 lease (ms), 2 the number of windows, then
-- each window's length (ms), then how many are in flight, then the ages (ms)
-- of the answered ones. Returns the ids given to those in flight.
local lease = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local longest = 0
for i = 1, count do
  longest = math.max(longest, tonumber(ARGV[2 + i]))
end
local in_flight = tonumber(ARGV[3 + count])
for j = 4 + count, #ARGV do
  local id = now .. '-' .. redis.call('INCR', KEYS[4])
  for i = 1, count do
    redis.call('ZADD', KEYS[4 + i], now - tonumber(ARGV[j]), id)
  end
end
for i = 1, count do
  if redis.call('EXISTS', KEYS[4 + i]) == 1 then
    redis.call('PEXPIRE', KEYS[4 + i], tonumber(ARGV[2 + i]))
  end
end
local ids = {}
for j = 1, in_flight do
  local id = now .. '-' .. redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[1], now + lease, id)
  ids[j] = id
end
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('PEXPIRE', KEYS[4], lease + longest)
end
if in_flight > 0 then
  redis.call('PEXPIRE', KEYS[1], lease + longest)
end
return ids
