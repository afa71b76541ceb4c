-- The slot ARGV[1] ended: it counts from now in every window, and the
-- answer's pause and budget are shared. Keys as for acquire.lua. ARGV: 1 the
-- slot's id, 2 a 429's Retry-After (ms, or -1), 3 the server's remaining
-- count (or -1), 4 the time to its reset (ms, or -1), 5 the number of
-- windows, then each window's length (ms).
local count = tonumber(ARGV[5])
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 1, count do
  redis.call('ZADD', KEYS[5 + i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[5 + i], tonumber(ARGV[5 + i]))
end
local after = tonumber(ARGV[2])
if after > 0 and redis.call('PTTL', KEYS[2]) < after then
  redis.call('SET', KEYS[2], '1', 'PX', after)
end
local remaining = tonumber(ARGV[3])
local reset = tonumber(ARGV[4])
if remaining >= 0 and reset > 0 then
  -- The requests still in flight may already be counted by the server, or
  -- not: assume they are not.
  remaining = math.max(remaining - redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf'), 0)
  local at = now + reset
  local old = redis.call('HMGET', KEYS[3], 'remaining', 'reset')
  -- Answers arrive out of order: within one reset period (two resets less
  -- than 2 s apart), the lowest count is the latest.
  if old[1] and old[2] and math.abs(tonumber(old[2]) - at) < 2000 then
    remaining = math.min(remaining, tonumber(old[1]))
    at = math.max(at, tonumber(old[2]))
  end
  redis.call('HSET', KEYS[3], 'remaining', remaining, 'reset', at)
  redis.call('PEXPIREAT', KEYS[3], at)
end
return 1
