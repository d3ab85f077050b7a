using SharpFuzz;

namespace CsrssForensics.Fuzz;

/// <summary>
/// <c>dotnet CsrssForensics.Fuzz.dll TARGET</c> under afl-fuzz (SharpFuzz's out-of-process mode), or
/// <c>--replay TARGET FILE...</c> to run inputs once without AFL (used to turn a finding into a regression test).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--replay" && FuzzTargets.All.TryGetValue(args[1], out var replay))
        {
            foreach (var file in args.Skip(2))
            {
                replay(File.ReadAllBytes(file));
            }

            return 0;
        }

        if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: CsrssForensics.Fuzz TARGET | --replay TARGET FILE...; targets: {string.Join(", ", FuzzTargets.All.Keys.Order(StringComparer.Ordinal))}");
            return 64;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }
}
