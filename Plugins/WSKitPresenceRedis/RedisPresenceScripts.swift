import WSKitRedis

/// The Lua scripts of ``RedisPresenceStore``: every change of presence is one atomic script
/// that updates the room, the instance's index and the lease, and publishes the diff — so the
/// diffs on a room's channel come in the order of the changes.
///
/// Keys under the prefix `P`: `P r:<room>` (hash ref → `<JSON key>\t<meta>`), `P i:<id>` (hash
/// ref → room: the instance's index), `P l:<id>` (the lease, with a TTL), `P d:<id>` (the
/// tombstone of an expired id), `P instances` (set of ids). Channel `P c:<room>` carries diffs.
/// The sweep touches keys it finds in the set, so the store needs a single Redis (not a cluster).
enum RedisPresenceScripts {
    /// KEYS: lease, tombstone, instances, room, index. ARGV: id, lease ms, ref, value, room,
    /// channel, diff, previous ref (or ""). Returns 0 when the id is dead.
    static let join = RedisScript("""
    if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
    if redis.call('EXISTS', KEYS[1]) == 0 then
      redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
      redis.call('SADD', KEYS[3], ARGV[1])
    end
    if ARGV[8] ~= '' then
      redis.call('HDEL', KEYS[4], ARGV[8])
      redis.call('HDEL', KEYS[5], ARGV[8])
    end
    redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
    redis.call('HSET', KEYS[5], ARGV[3], ARGV[5])
    redis.call('PUBLISH', ARGV[6], ARGV[7])
    return 1
    """)

    /// KEYS: room, index. ARGV: ref, channel, diff. Returns 1 when the entry was there.
    static let leave = RedisScript("""
    if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
      redis.call('HDEL', KEYS[2], ARGV[1])
      redis.call('PUBLISH', ARGV[2], ARGV[3])
      return 1
    end
    return 0
    """)

    /// KEYS: lease, tombstone, instances, index. ARGV: id, lease ms, "1" when the instance holds
    /// entries. Returns 0 when the id is dead, or holds entries Redis no longer has (a restart
    /// without persistence).
    static let renew = RedisScript("""
    if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
    if ARGV[3] == '1' and redis.call('EXISTS', KEYS[4]) == 0 then return 0 end
    redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
    redis.call('SADD', KEYS[3], ARGV[1])
    return 1
    """)

    /// KEYS: instances. ARGV: prefix, tombstone seconds, id ("" sweeps every instance whose lease
    /// expired; an id removes that instance now). Removes the entries, publishes one leave diff
    /// per room, marks the id dead. Returns how many entries it removed.
    static let reap = RedisScript("""
    local prefix = ARGV[1]
    local function wire(meta, ref)
      if meta == '{}' then return '{"$ref":"' .. ref .. '"}' end
      return string.sub(meta, 1, -2) .. ',"$ref":"' .. ref .. '"}'
    end
    local function reap(id)
      local index = prefix .. 'i:' .. id
      local entries = redis.call('HGETALL', index)
      local byRoom, rooms, count = {}, {}, 0
      for i = 1, #entries, 2 do
        local ref, room = entries[i], entries[i + 1]
        local roomKey = prefix .. 'r:' .. room
        local value = redis.call('HGET', roomKey, ref)
        if value then
          redis.call('HDEL', roomKey, ref)
          if not byRoom[room] then byRoom[room] = {}; table.insert(rooms, room) end
          table.insert(byRoom[room], {ref, value})
          count = count + 1
        end
      end
      redis.call('DEL', index, prefix .. 'l:' .. id)
      redis.call('SREM', KEYS[1], id)
      redis.call('SET', prefix .. 'd:' .. id, '1', 'EX', ARGV[2])
      for _, room in ipairs(rooms) do
        local groups, keys = {}, {}
        for _, item in ipairs(byRoom[room]) do
          local tab = string.find(item[2], '\\t', 1, true)
          local key = string.sub(item[2], 1, tab - 1)
          if not groups[key] then groups[key] = {}; table.insert(keys, key) end
          table.insert(groups[key], wire(string.sub(item[2], tab + 1), item[1]))
        end
        table.sort(keys)
        local parts = {}
        for _, key in ipairs(keys) do
          table.insert(parts, key .. ':{"metas":[' .. table.concat(groups[key], ',') .. ']}')
        end
        redis.call('PUBLISH', prefix .. 'c:' .. room, '{"joins":{},"leaves":{' .. table.concat(parts, ',') .. '}}')
      end
      return count
    end
    if ARGV[3] ~= '' then return reap(ARGV[3]) end
    local removed = 0
    for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
      if redis.call('EXISTS', prefix .. 'l:' .. id) == 0 then removed = removed + reap(id) end
    end
    return removed
    """)
}
