using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Analysis.Tests.Integrations;

/// <summary>
/// integrations/velociraptor: the artifact's structure, its parameters against collect.ps1's param block, and its
/// tool against the repository's own collect.ps1.
/// </summary>
public sealed partial class VelociraptorArtifactTests
{
    private static readonly string _artifactPath =
        TestEnvironment.PathOf("integrations", "velociraptor", "Custom.Windows.CsrssForensics.Collect.yaml");

    private static readonly string _collectorPath = TestEnvironment.PathOf("collect.ps1");

    [GeneratedRegex(@"^param\((?<body>.*?)^\)", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ParamBlock();

    [GeneratedRegex(@"\$(?<name>[A-Za-z]+)\s*(?:=\s*(?<default>[^,\r\n]+))?\s*,?\s*$", RegexOptions.Multiline)]
    private static partial Regex ParamLine();

    [GeneratedRegex(@"^\.PARAMETER (?<name>\w+)\r?\n\s+Test seam", RegexOptions.Multiline)]
    private static partial Regex TestSeam();

    [GeneratedRegex(@"ValidateSet\((?<values>[^)]*)\)\]\s*\[string\]\$Scope")]
    private static partial Regex ScopeSet();

    private static Dictionary<string, object> Artifact() =>
        (Dictionary<string, object>)MiniYaml.Parse(File.ReadAllText(_artifactPath));

    private static List<Dictionary<string, object>> Items(Dictionary<string, object> map, string key) =>
        [.. ((List<object>)map[key]).Cast<Dictionary<string, object>>()];

    /// <summary>collect.ps1's parameters and defaults, without the ones its help calls a test seam.</summary>
    private static List<(string Name, string? Default)> CollectorParameters()
    {
        var script = File.ReadAllText(_collectorPath);
        var seams = TestSeam().Matches(script).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var body = ParamBlock().Match(script);
        Assert.True(body.Success, "collect.ps1 has no top-level param( ... ) block");
        return
        [
            .. ParamLine().Matches(body.Groups["body"].Value)
                .Select(m => (m.Groups["name"].Value, m.Groups["default"].Success ? m.Groups["default"].Value.Trim().Trim('\'') : null))
                .Where(p => !seams.Contains(p.Item1)),
        ];
    }

    [Fact]
    public void The_artifact_is_a_Windows_client_artifact_with_a_dotted_name()
    {
        var artifact = Artifact();

        Assert.Equal("Custom.Windows.CsrssForensics.Collect", artifact["name"]);
        Assert.Equal("CLIENT", artifact["type"]);
        Assert.Contains("'windows'", (string)artifact["precondition"], StringComparison.Ordinal);
        Assert.Contains("EXECVE", ((List<object>)artifact["required_permissions"]).Cast<string>());
    }

    [Fact]
    public void The_artifact_exposes_exactly_the_collectors_parameters_with_its_defaults_and_choices()
    {
        var artifact = Artifact();
        var script = File.ReadAllText(_collectorPath);
        var expected = CollectorParameters();
        var parameters = Items(artifact, "parameters");

        Assert.Equal(["OutputPath", "Operator", "MaxBinaryBytes", "Scope"], expected.Select(p => p.Name));
        Assert.Equal(expected.Select(p => p.Name), parameters.Select(p => (string)p["name"]));
        Assert.All(parameters, p => Assert.False(string.IsNullOrWhiteSpace((string)p["description"]), $"{p["name"]} has no description"));

        var byName = parameters.ToDictionary(p => (string)p["name"]);
        Assert.Equal(expected.Single(p => p.Name == "MaxBinaryBytes").Default, byName["MaxBinaryBytes"]["default"]);
        Assert.Equal("int", byName["MaxBinaryBytes"]["type"]);
        Assert.Equal(expected.Single(p => p.Name == "Scope").Default, byName["Scope"]["default"]);
        Assert.Equal("choices", byName["Scope"]["type"]);
        var validateSet = ScopeSet().Match(script).Groups["values"].Value.Split(',').Select(v => v.Trim().Trim('\''));
        Assert.Equal(validateSet, ((List<object>)byName["Scope"]["choices"]).Cast<string>());
    }

    [Fact]
    public void The_tool_is_the_repositorys_own_collect_ps1_by_SHA_256()
    {
        var tool = Assert.Single(Items(Artifact(), "tools"));
        var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_collectorPath)));

        Assert.Equal("CsrssForensicsCollect", tool["name"]);
        Assert.Equal("true", tool["serve_locally"]);
        Assert.True(
            actual == (string)tool["expected_hash"],
            $"collect.ps1 changed: set expected_hash in {_artifactPath} to {actual} (and re-upload the tool to Velociraptor)");
    }

    /// <summary>
    /// The permission each VQL function or plugin the query calls needs (Velociraptor's VQL reference,
    /// "Required permissions"); a query that calls one without it is refused on the client.
    /// </summary>
    public static TheoryData<string, string> VqlPermissions() => new()
    {
        { "execve(", "EXECVE" },
        { "tempfile(", "FILESYSTEM_WRITE" },
        { "tempdir(", "FILESYSTEM_WRITE" },
        { "read_file(", "FILESYSTEM_READ" },
        { "glob(", "FILESYSTEM_READ" },
    };

    [Theory]
    [MemberData(nameof(VqlPermissions))]
    public void Every_permission_a_called_VQL_function_needs_is_declared(string call, string permission)
    {
        var artifact = Artifact();
        var query = (string)Assert.Single(Items(artifact, "sources"))["query"];
        var declared = ((List<object>)artifact["required_permissions"]).Cast<string>().ToList();

        Assert.Contains(call, query, StringComparison.Ordinal);
        Assert.Contains(permission, declared);
    }

    [Fact]
    public void The_query_fetches_the_tool_runs_it_with_every_parameter_and_uploads_the_bundle()
    {
        var source = Assert.Single(Items(Artifact(), "sources"));
        var query = (string)source["query"];

        Assert.Contains("Artifact.Generic.Utils.FetchBinary(ToolName=\"CsrssForensicsCollect\"", query, StringComparison.Ordinal);
        Assert.Contains("execve(argv=", query, StringComparison.Ordinal);
        Assert.Contains("\"-File\", Script", query, StringComparison.Ordinal);
        foreach (var (name, _) in CollectorParameters())
        {
            Assert.Contains($"\"-{name}\"", query, StringComparison.Ordinal);
        }

        Assert.Contains("upload(file=OSPath", query, StringComparison.Ordinal);
        Assert.Contains("csrss-bundle-*.zip", query, StringComparison.Ordinal);
    }
}
