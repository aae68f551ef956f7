namespace SystemMail.StackExchangeRedis;

/// <summary>
/// The Lua scripts that make the store's writes atomic: Redis runs a script without running any other command in
/// between, so its read and its write cannot be separated by another instance's write. Each record is a hash with
/// the fields <c>version</c> and <c>value</c>.
/// </summary>
internal static class RedisStoreScripts
{
    /// <summary>The hash field holding the record's version.</summary>
    public const string VersionField = "version";

    /// <summary>The hash field holding the record's bytes.</summary>
    public const string ValueField = "value";

    /// <summary>
    /// Compare-and-swap. <c>KEYS[1]</c>: the record; <c>ARGV[1]</c>: the expected version (empty: only when there is
    /// none); <c>ARGV[2]</c>: the new version; <c>ARGV[3]</c>: the value; <c>ARGV[4]</c>: the lifetime in milliseconds
    /// (<c>0</c>: none, and a lifetime the record had before is dropped). Returns 1 when saved, 0 when not.
    /// </summary>
    public const string Save = """
        local current = redis.call('HGET', KEYS[1], 'version')
        if ARGV[1] == '' then
          if current then return 0 end
        elseif current ~= ARGV[1] then
          return 0
        end
        redis.call('HSET', KEYS[1], 'version', ARGV[2], 'value', ARGV[3])
        if ARGV[4] == '0' then
          redis.call('PERSIST', KEYS[1])
        else
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
        end
        return 1
        """;

    /// <summary>
    /// Read and delete. <c>KEYS[1]</c>: the record. Returns the version and the value, or nil when there is none (never
    /// there, already taken, or expired).
    /// </summary>
    public const string Take = """
        local entry = redis.call('HMGET', KEYS[1], 'version', 'value')
        if not entry[1] then return false end
        redis.call('DEL', KEYS[1])
        return entry
        """;
}
