-- The slots ARGV[3..] are still in flight: held for the lease from now.
-- Keys: 1 in flight, 2 epoch. ARGV: 1 lease (ms), 2 the longest window (ms).
-- Returns the epoch ('' when the count is gone: the store lost it).
local lease = tonumber(ARGV[1])
local keep = lease + tonumber(ARGV[2])
for i = 3, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i])
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], keep)
end
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  return ''
end
redis.call('PEXPIRE', KEYS[2], keep)
return epoch
