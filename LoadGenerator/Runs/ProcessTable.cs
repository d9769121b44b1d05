using System.Globalization;

namespace LoadGenerator.Runs;

/// <summary>One process's CPU time so far, as /proc accounts it.</summary>
public readonly record struct ProcessCpuTime(int Pid, long StartTicks, string Name, double CpuMs);

/// <summary>
/// Every process on the machine and the CPU time each has used, read from /proc: what else shared the machine with a
/// chain and the load generator (the dashboard ingesting telemetry, DCP, the AppHost, the <c>dotnet run</c> wrappers,
/// the chain that sits idle). Empty off Linux.
/// </summary>
public static class ProcessTable
{
    /// <summary>/proc counts CPU time in clock ticks of USER_HZ, 100 per second on Linux.</summary>
    public const double MsPerTick = 10;

    public static IReadOnlyList<ProcessCpuTime> Read()
    {
        if (!Directory.Exists("/proc/self")) return [];
        var processes = new List<ProcessCpuTime>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                if (Parse(pid, File.ReadAllText(Path.Combine(directory, "stat"))) is { } process) processes.Add(process);
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }
        return processes;
    }

    /// <summary>A line of /proc/[pid]/stat: "pid (comm) state ppid …", utime and stime the 14th and 15th fields, starttime the 22nd.</summary>
    public static ProcessCpuTime? Parse(int pid, string stat)
    {
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is the state, the 3rd field of the line: the 14th field is fields[11].
        if (fields.Length < 20) return null;
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessCpuTime(pid, long.Parse(fields[19], CultureInfo.InvariantCulture), stat[(open + 1)..close], ticks * MsPerTick);
    }

    /// <summary>
    /// A readable name: the command, and for the <c>dotnet</c> host what it runs (<c>dotnet run (Producer)</c>, the
    /// wrapper Aspire starts each project with). The kernel cuts a command's name to 15 characters; the command line says it whole,
    /// unless the process rewrote it.
    /// </summary>
    public static string Describe(ProcessCpuTime process)
    {
        string[] args;
        try
        {
            args = File.ReadAllText($"/proc/{process.Pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return process.Name;
        }
        // Chromium rewrites its command line as one string with spaces (a page of flags): its kernel name says enough.
        if (args.Length == 0 || args[0].Contains(' ')) return process.Name;
        var program = Path.GetFileName(args[0]);
        if (program != "dotnet") return program.Length > process.Name.Length ? program : process.Name;
        var project = Array.IndexOf(args, "--project") is >= 0 and var i && i + 1 < args.Length ? Path.GetFileNameWithoutExtension(args[i + 1]) : null;
        if (args.Length > 1 && args[1] == "run") return $"dotnet run ({project ?? "?"})";
        var assembly = args.Skip(1).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        return assembly is null ? "dotnet" : $"dotnet {Path.GetFileNameWithoutExtension(assembly)}";
    }
}
