import WSKitRedis

/// The token bucket of ``TokenBucket`` as one Lua script: read, refill, take, write and expire in
/// one atomic step on the Redis server, timed by the server's own `TIME` so every instance shares
/// one clock (ADR 0060).
///
/// `KEYS[1]` is the bucket (a hash `{tokens, last}`); `ARGV` is cost, capacity, tokens per second
/// and the key's TTL in ms. It answers `{1, remaining}` (allowed), `{0, remaining, retryAfterMs}`
/// (denied) or `{-1, remaining}` (cost above capacity; nothing is written).
enum TokenBucketScript {
    static let script = RedisScript(#"""
        -- WSKit token bucket (ADR 0060). Mirrors WSKitRateLimit.TokenBucket.
        if redis.replicate_commands then pcall(redis.replicate_commands) end
        local cost = tonumber(ARGV[1])
        local capacity = tonumber(ARGV[2])
        local rate = tonumber(ARGV[3])
        local ttl = tonumber(ARGV[4])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'last')
        local tokens = tonumber(state[1])
        local last = tonumber(state[2])
        if tokens == nil or last == nil then
          tokens = capacity
          last = now
        elseif now < last then
          last = now
        else
          local earned = math.floor((now - last) * rate / 1000)
          if earned >= 1 then
            if tokens + earned >= capacity then
              tokens = capacity
              last = now
            else
              tokens = tokens + earned
              last = last + earned * 1000 / rate
            end
          end
        end
        if tokens >= capacity then
          tokens = capacity
          last = now
        end
        if cost > capacity then
          return {-1, tokens}
        end
        local result
        if tokens >= cost then
          tokens = tokens - cost
          result = {1, tokens}
        else
          local wait = math.ceil((cost - tokens) * 1000 / rate - (now - last))
          if wait < 1 then wait = 1 end
          if wait > 2147483647 then wait = 2147483647 end
          result = {0, tokens, wait}
        end
        redis.call('HSET', KEYS[1], 'tokens', tokens, 'last', string.format('%.3f', last))
        redis.call('PEXPIRE', KEYS[1], ttl)
        return result
        """#)
}
