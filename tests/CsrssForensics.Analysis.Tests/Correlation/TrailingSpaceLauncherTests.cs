using CsrssForensics.Core.Snapshot;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Correlation;

/// <summary>Launch targets keep their exact spelling, and fall back to the path Win32 would really open.</summary>
public sealed class TrailingSpaceLauncherTests
{
    private const string RunKey = @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run";

    [Fact]
    public void A_file_whose_name_ends_in_a_space_is_linked_by_its_exact_path()
    {
        const string spaced = @"C:\Users\bob\AppData\Roaming\csrss.exe ";
        var snapshot = Snapshot(
            files: [File(spaced, 1), File(@"C:\Users\bob\AppData\Roaming\csrss.exe", 2)],
            autoruns: [Autorun(AutorunKind.RunKey, RunKey, "Host", "\"\\\\?\\" + spaced + "\"")]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(spaced, Assert.Single(correlation.Launchers).Target);
        Assert.Single(correlation.LaunchersOf(spaced));
    }

    [Fact]
    public void Without_the_exact_file_the_target_is_the_one_Win32_opens()
    {
        const string plain = @"C:\Users\bob\AppData\Roaming\csrss.exe";
        var snapshot = Snapshot(
            files: [File(plain, 1)],
            autoruns: [Autorun(AutorunKind.RunKey, RunKey, "Host", "\"" + plain + " . \"")]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(plain, Assert.Single(correlation.Launchers).Target);
        Assert.Single(correlation.LaunchersOf(plain));
    }
}
