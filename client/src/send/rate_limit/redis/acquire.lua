-- A slot for one more request, if it fits. Keys: 1 in flight (zset: id ->
-- lease deadline), 2 pause (string with an expiry), 3 server budget (hash:
-- remaining, reset), 4 id sequence, 5 epoch (when the count began), 6.. one
-- window each (zset: id -> when it was answered). ARGV: 1 lease (ms), 2 the
-- epoch the process knows, 3 the pause (ms) for every process when a process
-- that knew an epoch finds none (the store lost the count, so that every
-- process counts its recent requests again before a slot goes), 4 the number
-- of windows, then for each window its requests and its length (ms). Returns {id, 0, epoch} when granted,
-- {'', ms, epoch} to wait that long, {'', -1, epoch} to wait for an answer in
-- flight, {'', -2, epoch} when the process knows another epoch: the count
-- began again (the store lost it, or it expired) and the process is to count
-- its recent requests in it first (record.lua).
local lease = tonumber(ARGV[1])
local count = tonumber(ARGV[4])
local longest = 0
for i = 1, count do
  longest = math.max(longest, tonumber(ARGV[4 + 2 * i]))
end
local epoch = redis.call('GET', KEYS[5])
if not epoch then
  epoch = tostring(now)
  redis.call('SET', KEYS[5], epoch, 'PX', lease + longest)
  local pause = tonumber(ARGV[3])
  if ARGV[2] ~= '' and pause > 0 and redis.call('PTTL', KEYS[2]) < pause then
    redis.call('SET', KEYS[2], '1', 'PX', pause)
  end
end
if epoch ~= ARGV[2] then
  return {'', -2, epoch}
end
-- Leases that ran out (a process died mid-request): their requests count as
-- answered when the lease ended.
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
if #expired > 0 then
  for i = 1, count do
    for j = 1, #expired, 2 do
      redis.call('ZADD', KEYS[5 + i], expired[j + 1], expired[j])
    end
    redis.call('PEXPIRE', KEYS[5 + i], tonumber(ARGV[4 + 2 * i]))
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
end
local wait = math.max(redis.call('PTTL', KEYS[2]), 0)
local remaining = redis.call('HGET', KEYS[3], 'remaining')
if remaining and tonumber(remaining) <= 0 then
  wait = math.max(wait, redis.call('PTTL', KEYS[3]))
end
local in_flight = redis.call('ZCARD', KEYS[1])
local until_answered = false
for i = 1, count do
  local key = KEYS[5 + i]
  local requests = tonumber(ARGV[3 + 2 * i])
  local per = tonumber(ARGV[4 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - per)
  if redis.call('ZCARD', key) + in_flight >= requests then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    if #oldest > 0 then
      wait = math.max(wait, tonumber(oldest[2]) + per - now)
    else
      until_answered = true
    end
  end
end
if wait > 0 then
  return {'', wait, epoch}
end
if until_answered then
  return {'', -1, epoch}
end
local id = now .. '-' .. redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], lease + longest)
redis.call('PEXPIRE', KEYS[5], lease + longest)
redis.call('ZADD', KEYS[1], now + lease, id)
redis.call('PEXPIRE', KEYS[1], lease + longest)
if remaining then
  redis.call('HINCRBY', KEYS[3], 'remaining', -1)
end
return {id, 0, epoch}
