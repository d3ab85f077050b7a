using System.ComponentModel;
using System.Globalization;

namespace CsrssForensics.Cli.Bench;

/// <summary>
/// Issue 13's verify target, measured in one run: the <c>verify</c> command (a fresh process, default threads) over a
/// set of files, against <c>openssl dgst -sha256</c> over the same files, the plain hash floor of the same bytes.
/// </summary>
internal static class VerifyAgainstOpenSsl
{
    public static void Print(IReadOnlyList<string> files, int rounds)
    {
        if (files.Count == 0)
        {
            return;
        }

        ChildResult openssl;
        try
        {
            openssl = Best(rounds, () => ChildRun.RunProgram("openssl", ["dgst", "-sha256", .. files]));
        }
        catch (Win32Exception)
        {
            Console.WriteLine("verify command vs openssl: openssl not found, skipped");
            return;
        }

        ChildResult verify = Best(rounds, () => ChildRun.Run(["verify", "--json", .. files]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify command ({Environment.ProcessorCount} threads, fresh process): {verify.Wall.TotalSeconds:F3} s wall, {verify.Cpu.TotalSeconds:F3} s cpu, exit {verify.ExitCode}; openssl dgst -sha256, same {files.Count} files: {openssl.Wall.TotalSeconds:F3} s wall, {openssl.Cpu.TotalSeconds:F3} s cpu; ratio wall {verify.Wall / openssl.Wall:F2}, cpu {verify.Cpu / openssl.Cpu:F2}"));
    }

    private static ChildResult Best(int rounds, Func<ChildResult> run)
    {
        ChildResult best = run();
        for (int round = 1; round < rounds; round++)
        {
            ChildResult next = run();
            best = next.Wall < best.Wall ? next : best;
        }

        return best;
    }
}
