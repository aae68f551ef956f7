using System.Collections.Concurrent;
using Google.Apis.Json;
using Google.Apis.Util.Store;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// A Google.Apis <see cref="IDataStore"/> in memory. Values go through Google's JSON serializer and keys are
/// <c>{type full name}-{key}</c>, as in <c>FileDataStore</c>, so what a flow stores round-trips as it would on disk.
/// </summary>
public sealed class InMemoryDataStore : IDataStore
{
    private readonly ConcurrentDictionary<string, string> _items = new(StringComparer.Ordinal);

    /// <summary>The stored JSON by full key, for assertions.</summary>
    public IReadOnlyDictionary<string, string> Items => _items;

    public Task StoreAsync<T>(string key, T value)
    {
        _items[FullKey<T>(key)] = NewtonsoftJsonSerializer.Instance.Serialize(value);
        return Task.CompletedTask;
    }

    public Task DeleteAsync<T>(string key)
    {
        _items.TryRemove(FullKey<T>(key), out _);
        return Task.CompletedTask;
    }

    public Task<T> GetAsync<T>(string key) =>
        Task.FromResult(_items.TryGetValue(FullKey<T>(key), out var json) ? NewtonsoftJsonSerializer.Instance.Deserialize<T>(json) : default!);

    public Task ClearAsync()
    {
        _items.Clear();
        return Task.CompletedTask;
    }

    private static string FullKey<T>(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return $"{typeof(T).FullName}-{key}";
    }
}
