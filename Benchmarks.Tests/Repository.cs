namespace Benchmarks.Tests;

/// <summary>The checkout these tests were built from, for tests that start its projects or scripts as a user would.</summary>
public static class Repository
{
    /// <summary>The folder holding Aspire.sln, above the test assembly.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Aspire.sln"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException($"no Aspire.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The build the test assembly belongs to (Debug or Release): the services' builds of it sit in their own bin folders.</summary>
    public static string Configuration => Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
}
