using System.Globalization;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

public sealed class TaskXmlTests
{
    private static BundleSnapshot Open(TempBundle bundle)
    {
        using var opened = BundleReader.Open(bundle.Seal().Folder);
        return opened.Snapshot;
    }

    [Fact]
    public void Utf16_task_is_read_field_by_field()
    {
        using var bundle = new TempBundle().Write("tasks/Microsoft/Windows/Maintenance/csrss.xml",
            SampleParts.Utf16(SampleParts.TaskXml(@"\Microsoft\Windows\Maintenance\csrss", "%ComSpec%", "/c start \"\" \"%APPDATA%\\csrss.exe\"")));

        var snapshot = Open(bundle);

        var task = Assert.Single(snapshot.Tasks);
        Assert.Empty(snapshot.Anomalies);
        Assert.Equal(@"\Microsoft\Windows\Maintenance\csrss", task.TaskPath);
        Assert.Equal(@"CORP\alice", task.Author);
        Assert.Equal("Client Server Runtime maintenance", task.Description);
        Assert.True(task.Enabled);
        Assert.True(task.Hidden);
        Assert.Equal("S-1-5-18", task.RunAsUser);
        Assert.Equal<string>(["LogonTrigger", "BootTrigger"], task.Triggers);
        Assert.Equal(2, task.Actions.Length);
        Assert.Equal(new TaskAction("Exec", "%ComSpec%", "/c start \"\" \"%APPDATA%\\csrss.exe\"", @"C:\Windows\Temp", null, null), task.Actions[0]);
        Assert.Equal(new TaskAction("ComHandler", null, null, null, "{A6BA00FE-40E8-477C-B713-C64A14F28F44}", "payload"), task.Actions[1]);
        Assert.Equal("tasks/Microsoft/Windows/Maintenance/csrss.xml", task.Source.BundleFile);
    }

    [Fact]
    public void Utf8_task_without_uri_takes_its_path_from_the_file()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
              <Principals><Principal><GroupId>S-1-5-32-545</GroupId></Principal></Principals>
              <Actions><Exec><Command>C:\Users\Public\updater.exe</Command></Exec></Actions>
            </Task>
            """;
        using var bundle = new TempBundle().Write("tasks/Vendor/Updater Task.xml", xml);

        var snapshot = Open(bundle);

        var task = Assert.Single(snapshot.Tasks);
        Assert.Equal(@"\Vendor\Updater Task", task.TaskPath);
        Assert.Null(task.Enabled);
        Assert.Null(task.Author);
        Assert.Equal("S-1-5-32-545", task.RunAsUser);
        Assert.Empty(task.Triggers);
        Assert.Equal(@"C:\Users\Public\updater.exe", Assert.Single(task.Actions).Command);
        Assert.Empty(snapshot.Anomalies);
    }

    [Fact]
    public void Dtd_bearing_task_is_refused_not_expanded()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Task [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY ext SYSTEM "file:///etc/passwd">
            ]>
            <Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
              <RegistrationInfo><Description>&c;&ext;</Description></RegistrationInfo>
            </Task>
            """;
        using var bundle = new TempBundle().Write("tasks/Evil.xml", xml);

        var snapshot = Open(bundle);

        Assert.Empty(snapshot.Tasks);
        var anomaly = Assert.Single(snapshot.Anomalies);
        Assert.Equal(BundleAnomalyCodes.TaskMalformed, anomaly.Code);
        Assert.Equal("tasks/Evil.xml", anomaly.Evidence.BundleFile);
        Assert.Contains("DTD", anomaly.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_broken_task_among_two_hundred_does_not_stop_the_others()
    {
        using var bundle = new TempBundle();
        for (var i = 0; i < 200; i++)
        {
            var name = i.ToString("D3", CultureInfo.InvariantCulture);
            var bytes = i % 2 == 0
                ? SampleParts.Utf16(SampleParts.TaskXml($@"\Generated\Task{name}", $@"C:\Tools\t{name}.exe"))
                : BundleSealer.Utf8(SampleParts.TaskXml($@"\Generated\Task{name}", $@"C:\Tools\t{name}.exe").Replace("UTF-16", "UTF-8", StringComparison.Ordinal));
            bundle.Write($"tasks/Generated/Task{name}.xml", bytes);
        }

        bundle.Write("tasks/Generated/Task100b.xml", "<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><Actions><Exec>");

        var snapshot = Open(bundle);

        Assert.Equal(200, snapshot.Tasks.Length);
        Assert.Equal(@"C:\Tools\t199.exe", snapshot.Tasks.Single(t => t.TaskPath == @"\Generated\Task199").Actions[0].Command);
        var anomaly = Assert.Single(snapshot.Anomalies);
        Assert.Equal(BundleAnomalyCodes.TaskMalformed, anomaly.Code);
        Assert.Equal("tasks/Generated/Task100b.xml", anomaly.Evidence.BundleFile);
    }

    [Fact]
    public void Uri_that_differs_from_the_stored_path_is_noted()
    {
        using var bundle = new TempBundle().Write("tasks/Microsoft/Windows/Defrag/ScheduledDefrag.xml",
            SampleParts.Utf16(SampleParts.TaskXml(@"\Evil\Hidden")));

        var snapshot = Open(bundle);

        Assert.Equal(@"\Evil\Hidden", Assert.Single(snapshot.Tasks).TaskPath);
        Assert.Equal(BundleAnomalyCodes.TaskUriMismatch, Assert.Single(snapshot.Anomalies).Code);
    }

    [Theory]
    [InlineData("<Job xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\" />", BundleAnomalyCodes.TaskMalformed)]
    [InlineData("<Task xmlns=\"urn:other\" />", BundleAnomalyCodes.TaskMalformed)]
    [InlineData("not xml at all", BundleAnomalyCodes.TaskMalformed)]
    [InlineData("<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><Settings><Enabled>maybe</Enabled></Settings></Task>", BundleAnomalyCodes.TaskBadValue)]
    [InlineData("<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><RegistrationInfo><Date>yesterday</Date></RegistrationInfo></Task>", BundleAnomalyCodes.TaskBadValue)]
    [InlineData("<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><RegistrationInfo><Date>2026-13-45T99:00:00</Date></RegistrationInfo></Task>", BundleAnomalyCodes.TaskBadValue)]
    public void Unusable_task_content_is_an_anomaly(string xml, string code)
    {
        using var bundle = new TempBundle().Write("tasks/X.xml", xml);

        var snapshot = Open(bundle);

        Assert.Equal(code, Assert.Single(snapshot.Anomalies).Code);
    }

    [Theory]
    [InlineData("2026-11-18T21:40:03", null, "2026-11-18T21:40:03")]
    [InlineData("2026-11-18T21:40:03.5", null, "2026-11-18T21:40:03.5")]
    [InlineData("2026-11-18T21:40:03Z", "2026-11-18T21:40:03Z", null)]
    [InlineData("2026-11-18T21:40:03+01:00", "2026-11-18T20:40:03Z", null)]
    [InlineData(" 2026-11-18T21:40:03-05:30 ", "2026-11-19T03:10:03Z", null)]
    public void Registration_date_is_utc_when_zoned_and_host_local_otherwise(string date, string? utc, string? local)
    {
        var xml = $"<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><RegistrationInfo><Date>{date}</Date></RegistrationInfo></Task>";
        using var bundle = new TempBundle().Write("tasks/Dated.xml", xml);

        var registered = Assert.Single(Open(bundle).Tasks).RegisteredAt;

        Assert.NotNull(registered);
        Assert.Equal(date.Trim(), registered.Text);
        Assert.Equal(utc, registered.Utc?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Assert.Equal(local, registered.HostLocal?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
        Assert.Equal(utc is null ? DateTimeKind.Unspecified : DateTimeKind.Utc, registered.Utc?.UtcDateTime.Kind ?? registered.HostLocal!.Value.Kind);
    }

    [Fact]
    public void A_task_without_a_date_has_no_registration_time_and_no_anomaly()
    {
        using var bundle = new TempBundle().Write("tasks/Undated.xml", "<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><RegistrationInfo><Author>x</Author></RegistrationInfo></Task>");

        var snapshot = Open(bundle);

        Assert.Null(Assert.Single(snapshot.Tasks).RegisteredAt);
        Assert.Empty(snapshot.Anomalies);
    }

    [Fact]
    public void A_date_longer_than_any_time_is_refused_as_a_bad_value()
    {
        var xml = $"<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><RegistrationInfo><Date>2026-11-18T21:40:03{new string('0', 5000)}</Date></RegistrationInfo></Task>";
        using var bundle = new TempBundle().Write("tasks/Long.xml", xml);

        var snapshot = Open(bundle);

        Assert.Null(Assert.Single(snapshot.Tasks).RegisteredAt);
        Assert.Equal(BundleAnomalyCodes.TaskBadValue, Assert.Single(snapshot.Anomalies).Code);
    }

    [Fact]
    public void Only_the_first_section_and_the_first_field_in_it_count_and_text_under_a_field_is_joined()
    {
        const string xml = """
            <Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task" xmlns:p="urn:p">
              <RegistrationInfo><Author>a<!-- gone -->b<![CDATA[ c ]]> <i>d</i></Author><Author>second</Author></RegistrationInfo>
              <RegistrationInfo><Description>later section</Description></RegistrationInfo>
              <Triggers><LogonTrigger/><p:Odd/></Triggers><Triggers><Later/></Triggers>
              <Settings><Enabled>1</Enabled><Enabled>false</Enabled></Settings>
              <Actions><Exec><Command>c&amp;d</Command><Command>no</Command><p:Arguments>other namespace</p:Arguments></Exec><p:Exec><Command>pc</Command></p:Exec><Exec/></Actions>
              <Actions><Exec><Command>later section</Command></Exec></Actions>
            </Task>
            """;
        using var bundle = new TempBundle().Write("tasks/First.xml", xml);

        var snapshot = Open(bundle);

        var task = Assert.Single(snapshot.Tasks);
        Assert.Empty(snapshot.Anomalies);
        Assert.Equal("ab c  d", task.Author);
        Assert.Null(task.Description);
        Assert.True(task.Enabled);
        Assert.Equal<string>(["LogonTrigger", "Odd"], task.Triggers);
        Assert.Equal<TaskAction>(
            [new TaskAction("Exec", "c&d", null, null, null, null), new TaskAction("Exec", "pc", null, null, null, null), new TaskAction("Exec", null, null, null, null, null)],
            task.Actions);
    }

    [Fact]
    public void Run_as_is_the_principal_the_actions_context_names_else_the_first()
    {
        const string xml = """
            <Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
              <Principals><Principal id="A"><GroupId>G</GroupId></Principal><Principal id="B"><UserId> </UserId><GroupId>GB</GroupId><UserId>U2</UserId></Principal></Principals>
              <Actions Context="B"><Exec><Command>x</Command></Exec></Actions>
            </Task>
            """;
        using var named = new TempBundle().Write("tasks/Named.xml", xml);
        using var unnamed = new TempBundle().Write("tasks/Unnamed.xml", xml.Replace("Context=\"B\"", "Context=\"Z\"", StringComparison.Ordinal));

        // B's first UserId is blank, so its GroupId answers; an unknown context falls back to the first principal.
        Assert.Equal("GB", Assert.Single(Open(named).Tasks).RunAsUser);
        Assert.Equal("G", Assert.Single(Open(unnamed).Tasks).RunAsUser);
    }

    [Fact]
    public void ComHandler_data_keeps_its_markup_when_it_holds_elements_and_its_text_otherwise()
    {
        const string xml = """
            <t:Task xmlns:t="http://schemas.microsoft.com/windows/2004/02/mit/task" xmlns:p="urn:p"><t:Actions>
              <t:ComHandler><t:ClassId>{1}</t:ClassId><t:Data><![CDATA[<raw>]]></t:Data></t:ComHandler>
              <t:ComHandler><t:Data>pre <p:a k="v &amp; w">t&lt;</p:a><b xmlns="urn:b"><c/></b> post</t:Data><t:Data>second</t:Data></t:ComHandler>
            </t:Actions></t:Task>
            """;
        using var bundle = new TempBundle().Write("tasks/Com.xml", xml);

        var actions = Assert.Single(Open(bundle).Tasks).Actions;

        Assert.Equal(new TaskAction("ComHandler", null, null, null, "{1}", "<raw>"), actions[0]);
        Assert.Equal("pre <p:a k=\"v &amp; w\" xmlns:p=\"urn:p\">t&lt;</p:a><b xmlns=\"urn:b\"><c /></b> post", actions[1].Data);
    }

    [Theory]
    [InlineData(63, null)]
    [InlineData(64, BundleAnomalyCodes.TaskTooDeep)]
    public void Depth_is_checked_on_every_node_of_the_one_pass(int nesting, string? code)
    {
        // Task is depth 0, so the text inside <nesting> levels of <a> sits at depth nesting + 1.
        var xml = "<Task>" + string.Concat(Enumerable.Repeat("<a>", nesting)) + "x" + string.Concat(Enumerable.Repeat("</a>", nesting)) + "</Task>";
        using var bundle = new TempBundle().Write("tasks/Nested.xml", xml);

        var snapshot = Open(bundle);

        Assert.Equal(code, snapshot.Anomalies.SingleOrDefault()?.Code);
        Assert.Equal(code is null ? 1 : 0, snapshot.Tasks.Length);
    }
}
