using CsrssForensics.Core.Evidence;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Correlation;

public sealed class FileCorrelationTests
{
    private const string FakeFolder = @"C:\Users\alice\AppData\Roaming\Microsoft\Network";
    private const string Fake = FakeFolder + @"\csrss.exe";

    [Fact]
    public void Siblings_are_every_file_beside_the_fake_each_with_a_kind_and_a_reason()
    {
        // Given a fake csrss with a launcher script, a config, a DLL, a driver, a shortcut and an unknown file beside it
        var snapshot = Snapshot(
            files:
            [
                File(Fake, 1, sha256: new string('1', 64)),
                File(FakeFolder + @"\run.vbs", 2, sha256: new string('2', 64)),
                File(FakeFolder + @"\config.json", 3),
                File(FakeFolder + @"\WinRing0x64.DLL", 4, sha256: new string('4', 64)),
                File(FakeFolder + @"\sub\deep.exe", 5),
                File(@"C:\Users\alice\AppData\Roaming\Microsoft\other.exe", 6),
                File(FakeFolder + @"\start.lnk", 7, sha256: new string('7', 64)),
                File(FakeFolder + @"\WinRing0x64.sys", 8),
                File(FakeFolder + @"\readme.dat", 9),
            ]);

        // When
        var siblings = CorrelationModel.Build(snapshot).SiblingsOf(Fake);

        // Then every same-folder file (not the sub-folder, not the fake), ordinal by path, each with its files.csv row
        Assert.Equal(
            [
                (FakeFolder + @"\config.json", "config", "configuration file beside a suspicious copy (not copied: content not checked)"),
                (FakeFolder + @"\readme.dat", "other file", "other file beside a suspicious copy"),
                (FakeFolder + @"\run.vbs", "script", "script beside a suspicious copy: may start it (see Launchers)"),
                (FakeFolder + @"\start.lnk", "shortcut", "shortcut beside a suspicious copy: may start it"),
                (FakeFolder + @"\WinRing0x64.DLL", "library", "DLL beside a suspicious copy: side-loading candidate"),
                (FakeFolder + @"\WinRing0x64.sys", "driver", "driver (.sys) beside a suspicious copy: kernel code, check for a service that loads it"),
            ],
            siblings.Select(s => (s.Path, s.Kind, s.Reason!)));
        Assert.Equal(new string('4', 64), siblings[4].Sha256);
        Assert.Equal(new EvidenceRef("files.csv", Row: 4), siblings[4].Evidence);
    }

    [Fact]
    public void Siblings_include_running_images_that_files_csv_does_not_list_and_match_any_path_form()
    {
        var snapshot = Snapshot(
            processes: [Process(3000, 1000, "xmrig.exe", @"\Device\HarddiskVolume3\Users\alice\AppData\Roaming\Microsoft\Network\xmrig.exe", 5)],
            files: [File(Fake, 1), File(FakeFolder.ToUpperInvariant() + @"\GO.PS1", 2)]);

        var siblings = CorrelationModel.Build(snapshot).SiblingsOf(Fake.ToLowerInvariant());

        Assert.Equal([FakeFolder.ToUpperInvariant() + @"\GO.PS1", FakeFolder + @"\xmrig.exe"], siblings.Select(s => s.Path));
        Assert.Equal(new EvidenceRef("processes.csv", Row: 3000), siblings[1].Evidence);
        Assert.Null(siblings[1].Sha256);
        Assert.Equal("executable", siblings[1].Kind);
    }

    [Fact]
    public void A_file_listed_twice_is_one_sibling_and_the_files_csv_row_wins()
    {
        var snapshot = Snapshot(
            processes: [Process(3000, 1, "run.exe", FakeFolder + @"\run.exe", 5)],
            files: [File(Fake, 1), File(FakeFolder + @"\run.exe", 2, sha256: new string('b', 64))]);

        var sibling = Assert.Single(CorrelationModel.Build(snapshot).SiblingsOf(Fake));

        Assert.Equal(new EvidenceRef("files.csv", Row: 2), sibling.Evidence);
        Assert.Equal(new string('b', 64), sibling.Sha256);
    }

    [Fact]
    public void Same_name_copies_come_from_files_and_process_images_once_each_without_the_excluded_one()
    {
        var snapshot = Snapshot(
            processes:
            [
                Process(500, 400, "csrss.exe", @"\??\C:\Windows\system32\csrss.exe", 1),
                Process(600, 404, "csrss.exe", @"C:\Windows\System32\csrss.exe", 1),
                Process(7000, 1000, "csrss.exe", Fake, 30),
            ],
            files: [File(@"C:\Windows\System32\csrss.exe", 1), File(@"C:\ProgramData\x\CSRSS.exe", 2), File(@"C:\ProgramData\x\csrsss.exe", 3)]);
        var correlation = CorrelationModel.Build(snapshot);

        var copies = correlation.SameNameCopies("csrss.exe", @"C:\WINDOWS\SYSTEM32\CSRSS.EXE");

        Assert.Equal<string>([@"C:\ProgramData\x\CSRSS.exe", Fake], copies);
        Assert.Equal<string>(
            [@"C:\ProgramData\x\CSRSS.exe", Fake, @"C:\Windows\System32\csrss.exe"],
            correlation.SameNameCopies(@"C:\anything\CSRSS.EXE", null));
        Assert.Empty(correlation.SameNameCopies("lsass.exe", null));
    }

    [Fact]
    public void A_path_without_a_folder_has_no_siblings()
    {
        var correlation = CorrelationModel.Build(Snapshot(files: [File(@"C:\a.exe", 1), File(@"C:\b.exe", 2)]));

        Assert.Empty(correlation.SiblingsOf("b.exe"));
        Assert.Equal([@"C:\b.exe"], correlation.SiblingsOf(@"C:\a.exe").Select(s => s.Path));
    }
}
