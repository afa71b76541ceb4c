-- The slots ARGV[3..] are still in flight: held for the lease from now.
-- Keys: 1 in flight. ARGV: 1 lease (ms), 2 the longest window (ms).
local lease = tonumber(ARGV[1])
for i = 3, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], lease + tonumber(ARGV[2]))
return 1
