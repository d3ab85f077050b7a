using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.Stacking;

namespace CsrssForensics.Fleet.Tests;

public sealed class StackTableTests
{
    private static StackTable Build(IEnumerable<string> hostOrder)
    {
        var table = new StackTable();
        foreach (var host in hostOrder)
        {
            var values = new List<StackValue> { new(StackFacts.CoreImage, "csrss.exe | genuine") };
            if (host == "WS-7")
            {
                values.Add(new StackValue(StackFacts.CoreImage, "csrss.exe | fake"));
            }

            table.Add(host, values);
        }

        return table;
    }

    [Fact]
    public void The_rarest_value_comes_first_with_its_hosts()
    {
        var rows = Build(Enumerable.Range(0, 10).Select(i => $"WS-{i}")).Rows(StackFacts.CoreImage);

        Assert.Equal(2, rows.Count);
        Assert.Equal("csrss.exe | fake", rows[0].Value);
        Assert.Equal(1, rows[0].Hosts);
        Assert.Equal(["WS-7"], rows[0].Examples);
        Assert.Equal(10, rows[1].Hosts);
        Assert.Equal(StackTable.MaxExamples, rows[1].Examples.Count);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_order_hosts_arrive_in()
    {
        var hosts = Enumerable.Range(0, 10).Select(i => $"WS-{i}").ToList();
        var forward = Build(hosts).Rows(StackFacts.CoreImage);
        var backward = Build(Enumerable.Reverse(hosts)).Rows(StackFacts.CoreImage);

        Assert.Equal(forward.Select(r => (r.Value, r.Hosts, string.Join(',', r.Examples))), backward.Select(r => (r.Value, r.Hosts, string.Join(',', r.Examples))));
        Assert.Equal(["WS-0", "WS-1", "WS-2", "WS-3", "WS-4"], forward[1].Examples);
    }
}
