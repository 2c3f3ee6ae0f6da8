using System.Collections.Frozen;
using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>
/// Standalone mode: SecretProviderClasses from the manifests in one directory (*.yaml, *.yml, *.json).
/// A file is re-read when it changes. A file that stops being valid keeps serving the classes it last
/// defined, and the error is logged once with the file, document and field, so a typo cannot take down
/// volumes already in use. A lookup that misses rescans first, so a class added a moment ago is found.
/// </summary>
public sealed class DirectorySecretProviderClassSource : ISecretProviderClassSource, IDisposable
{
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly FileSystemWatcher? _watcher;
    private volatile FrozenDictionary<string, SecretProviderClass> _classes = FrozenDictionary<string, SecretProviderClass>.Empty;

    public DirectorySecretProviderClassSource(string directory, ILogger<DirectorySecretProviderClassSource> logger, bool watch = true)
    {
        _directory = Path.GetFullPath(directory);
        _logger = logger;
        Reload();
        if (watch)
        {
            _watcher = new FileSystemWatcher(_directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += (_, _) => Reload();
            _watcher.Created += (_, _) => Reload();
            _watcher.Deleted += (_, _) => Reload();
            _watcher.Renamed += (_, _) => Reload();
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The current problems, one per invalid file, for diagnostics and tests.</summary>
    public IReadOnlyDictionary<string, string> Errors
    {
        get
        {
            lock (_reloadLock)
            {
                return _files.Where(f => f.Value.Error is not null).ToDictionary(f => f.Key, f => f.Value.Error!, StringComparer.Ordinal);
            }
        }
    }

    public int Count => _classes.Count;

    public ValueTask<SecretProviderClass?> GetAsync(string podNamespace, string name, CancellationToken cancellationToken)
    {
        var key = podNamespace + "/" + name;
        if (_classes.TryGetValue(key, out var found))
        {
            return ValueTask.FromResult<SecretProviderClass?>(found);
        }
        // Not loaded: a manifest may have been added or written since the last scan, and a file watcher's event can
        // arrive after the publish that needs it (or catch the file half written). Scan now: unchanged files are
        // only stat'ed, and a miss is a failed publish that kubelet retries with backoff, not a hot path.
        Reload();
        return ValueTask.FromResult(_classes.GetValueOrDefault(key));
    }

    public string Describe(string podNamespace) => $"namespace {podNamespace} of the manifests in {_directory}";

    /// <summary>Every manifest stays loaded; nothing to track.</summary>
    public void Retain(string targetPath, string podNamespace, string name)
    {
    }

    public void Release(string targetPath)
    {
    }

    public void Reload()
    {
        lock (_reloadLock)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in Directory.EnumerateFiles(_directory).Where(IsManifest).Order(StringComparer.Ordinal))
            {
                present.Add(path);
                ReloadFile(path);
            }
            foreach (var gone in _files.Keys.Where(p => !present.Contains(p)).ToArray())
            {
                _files.Remove(gone);
            }
            _classes = Merge();
        }
    }

    public void Dispose() => _watcher?.Dispose();

    private void ReloadFile(string path)
    {
        // Stat before reading, and keep that stat: a file being written while it is read then shows a change on the
        // next scan. (Stat after reading, and a half-written file's content would be kept under its final size and
        // time, and never read again.)
        DateTime lastWrite;
        long length;
        try
        {
            var info = new FileInfo(path);
            lastWrite = info.LastWriteTimeUtc;
            length = info.Length;
            if (_files.TryGetValue(path, out var known) && known.LastWrite == lastWrite && known.Length == length)
            {
                return;
            }
        }
        catch (IOException)
        {
            return;
        }

        var previous = _files.GetValueOrDefault(path);
        try
        {
            var classes = SecretProviderClassManifest.Parse(File.ReadAllText(path));
            _files[path] = new FileState(lastWrite, length, classes, null);
            DriverLog.ManifestLoaded(_logger, path, classes.Count);
        }
        catch (Exception e) when (e is ManifestException or IOException)
        {
            var kept = previous?.Classes ?? [];
            if (previous?.Error != e.Message)
            {
                DriverLog.ManifestInvalid(_logger, path, e.Message, kept.Count);
            }
            _files[path] = new FileState(lastWrite, length, kept, e.Message);
        }
    }

    private FrozenDictionary<string, SecretProviderClass> Merge()
    {
        var merged = new Dictionary<string, SecretProviderClass>(StringComparer.Ordinal);
        var origin = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, state) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (var spc in state.Classes)
            {
                if (origin.TryGetValue(spc.QualifiedName, out var first))
                {
                    if (first != path)
                    {
                        DriverLog.ManifestDuplicate(_logger, spc.QualifiedName, path, first);
                    }
                    continue;
                }
                origin[spc.QualifiedName] = path;
                merged[spc.QualifiedName] = spc;
            }
        }
        return merged.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static bool IsManifest(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.')
               && (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
                   || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                   || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
    }

    private sealed record FileState(DateTime LastWrite, long Length, IReadOnlyList<SecretProviderClass> Classes, string? Error);
}
