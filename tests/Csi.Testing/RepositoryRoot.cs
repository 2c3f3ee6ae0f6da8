namespace Csi.Testing;

/// <summary>Finds the repository checkout the tests were built from.</summary>
public static class RepositoryRoot
{
    public const string SolutionFileName = "Csi.sln";

    /// <summary>The nearest folder above <see cref="AppContext.BaseDirectory"/> that holds Csi.sln.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no {SolutionFileName} in {AppContext.BaseDirectory} or any folder above it");
    }
}
