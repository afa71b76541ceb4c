-- Shared by every script (prepended to each): the store's clock in
-- milliseconds, and the windows' lengths from ARGV.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
