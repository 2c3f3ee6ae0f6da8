using System.Security.Cryptography;
using System.Text;

namespace SecretsStore.Driver.SecretSync;

/// <summary>What one spec.secretObjects[] entry says its Secret must hold, built from the mounted files.</summary>
public sealed record DesiredSecret(
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, byte[]> Data)
{
    /// <summary>A hash of everything above, so that a rotation that changed nothing costs no API call. Kept in memory only.</summary>
    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string value)
        {
            hash.AppendData(BitConverter.GetBytes(value.Length));
            hash.AppendData(Encoding.UTF8.GetBytes(value));
        }
        Add(Name);
        Add(Type);
        foreach (var map in new[] { Labels, Annotations })
        {
            foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Add(key);
                Add(value);
            }
            Add("|");
        }
        foreach (var (key, value) in Data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(key);
            hash.AppendData(BitConverter.GetBytes(value.Length));
            hash.AppendData(value);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
