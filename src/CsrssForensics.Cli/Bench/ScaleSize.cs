namespace CsrssForensics.Cli.Bench;

/// <summary>
/// One synthetic host of the scale bench: processes, files.csv rows, task XMLs and autostart entries (issue 13's
/// sizes). Sessions and planted fakes grow with the process count, as on a terminal server.
/// </summary>
internal sealed record ScaleSize(string Name, int Processes, int FileRows, int Tasks, int Autoruns)
{
    /// <summary>The sizes of issue 13, smallest first.</summary>
    public static IReadOnlyList<ScaleSize> All { get; } =
    [
        new("1k", 1_000, 10_000, 500, 300),
        new("5k", 5_000, 50_000, 1_000, 1_000),
        new("20k", 20_000, 200_000, 5_000, 3_000),
        new("50k", 50_000, 1_000_000, 20_000, 10_000),
    ];

    /// <summary>One interactive session per 40 processes, plus session 0.</summary>
    public int Sessions => Math.Max(2, Processes / 40);

    /// <summary>Planted csrss.exe fakes in user profiles, each with a Run key and a scheduled task as launchers.</summary>
    public int Fakes => Math.Max(2, Processes / 1_000);

    /// <summary>The text the bench prints for this size.</summary>
    public string Description => $"{Name} ({Processes} processes / {FileRows} files.csv rows / {Tasks} task XMLs / {Autoruns} autostart entries)";

    /// <summary>The sizes named in <paramref name="list"/> (comma-separated names, or <c>all</c>); null when a name is unknown.</summary>
    public static IReadOnlyList<ScaleSize>? Parse(string list)
    {
        if (list.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        var chosen = new List<ScaleSize>();
        foreach (string name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ScaleSize? size = All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (size is null)
            {
                return null;
            }

            chosen.Add(size);
        }

        return chosen.Count == 0 ? null : chosen;
    }
}
