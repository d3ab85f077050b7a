using System.ComponentModel;
using System.Globalization;

namespace CsrssForensics.Cli.Bench;

/// <summary>
/// Issue 13's verify target, measured in one run: the <c>verify</c> command (a fresh process, the bench's thread count)
/// over a set of files, against <c>openssl dgst -sha256</c> over the same files, the plain hash floor of the same bytes.
/// The load average is printed with it: on a shared machine wall times mean little without it.
/// </summary>
internal static class VerifyAgainstOpenSsl
{
    public static void Print(IReadOnlyList<string> files, int threads, int rounds)
    {
        if (files.Count == 0)
        {
            return;
        }

        ChildResult openssl;
        try
        {
            openssl = ChildRun.Best(rounds, () => ChildRun.RunProgram("openssl", ["dgst", "-sha256", .. files]));
        }
        catch (Win32Exception)
        {
            Console.WriteLine("verify command vs openssl: openssl not found, skipped");
            return;
        }

        ChildResult verify = ChildRun.Best(rounds, () => ChildRun.Run(["verify", "--json", "--threads", threads.ToString(CultureInfo.InvariantCulture), .. files]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify command ({threads} threads, fresh process): {verify.Wall.TotalSeconds:F3} s wall, {verify.Cpu.TotalSeconds:F3} s cpu, exit {verify.ExitCode}; openssl dgst -sha256, same {files.Count} files: {openssl.Wall.TotalSeconds:F3} s wall, {openssl.Cpu.TotalSeconds:F3} s cpu; ratio wall {verify.Wall / openssl.Wall:F2}, cpu {verify.Cpu / openssl.Cpu:F2}; {LoadAverage()}"));
    }

    /// <summary>The 1/5/15-minute load averages (Linux), or a note that they are unknown.</summary>
    private static string LoadAverage()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load average {fields[0]} {fields[1]} {fields[2]} on {Environment.ProcessorCount} cores";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "load average unknown";
        }
    }
}
