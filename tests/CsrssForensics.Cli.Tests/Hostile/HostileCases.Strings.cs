namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>Attacker strings in process names and paths, signer subjects and autostart commands (HTML, Markdown, bidi, formula, terminal).</summary>
internal static partial class HostileCases
{
    private static IEnumerable<HostileCase> StringCases()
    {
        (string Key, string Text, string[] RawInReports)[] strings =
        [
            ("html-script", "<script>alert(1)</script>", ["<script"]),
            ("html-img-onerror", "<img src=x onerror=alert(1)>", ["<img"]),
            ("markdown-link", "[click](javascript:alert(1))", ["href=\"javascript:"]),
            ("markdown-table-break", "a|b\n|---|\n# heading", []),
            ("rtlo", "photo\u202Egpj.exe", []),
            ("zero-width", "c\u200Bsrss", []),
            ("formula", "=HYPERLINK(\"evil.example\",\"open\")", []),
            ("formula-at-cmd", "@cmd|' -c calc'!A0", []),
            ("terminal-erase-line", "\r\u001b[2K\u001b[32mmicrosoft-signed\u001b[0m", []),
            ("terminal-osc-title", "\u001b]0;all clean\u0007", []),
            ("terminal-hide-rest", "\u001b[8mhidden", []),
        ];
        foreach (var (key, text, raw) in strings)
        {
            // A csrss.exe always gets a verdict, so the hostile folder name reaches every report and the console.
            var path = $"C:\\Users\\bob\\{text}\\csrss.exe";
            yield return Part(
                "string-in-process-path-" + key,
                "injection in strings",
                b => File.AppendAllText(Path.Combine(b, "processes.csv"), Csv("7100", "3120", "csrss.exe", path, path, "2026-11-20T07:04:00Z", "1", "CORP\\bob", "0", "0", "1")),
                Compromised,
                Expect.All(Expect.Subject(text), Expect.ReportsDefused(raw)),
                cli: key is "terminal-erase-line" or "terminal-osc-title" or "rtlo" or "zero-width" or "html-script");
        }

        yield return Part(
            "string-in-process-name-zero-width",
            "injection in strings",
            b => File.AppendAllText(Path.Combine(b, "processes.csv"), Csv("7101", "3120", "c\u200Bsrss.exe", "C:\\Users\\bob\\c\u200Bsrss.exe", "x", "2026-11-20T07:04:00Z", "1", "CORP\\bob", "0", "0", "1")),
            Compromised,
            Expect.All(Expect.Subject("c\u200Bsrss.exe"), Expect.ReportsDefused()),
            cli: true);

        yield return Part(
            "string-in-signer-subject",
            "injection in strings",
            b => File.AppendAllText(
                Path.Combine(b, "files.csv"),
                Csv("C:\\Users\\bob\\signed\\csrss.exe", "3584", new string('a', 64), "2026-11-19T10:02:11Z", "2026-11-19T10:02:11Z", "Valid", "Embedded", "CN=Evil\r\u001b[2K\u001b[32mmicrosoft-signed\u001b]0;x\u0007<script>", "AB", string.Empty, string.Empty, string.Empty, "lookalike", string.Empty)),
            Compromised,
            Expect.All(Expect.Subject("\\signed\\csrss.exe"), Expect.ReportsDefused("<script")),
            cli: true);

        yield return Part(
            "string-in-autorun-command",
            "injection in strings",
            b => File.WriteAllText(Path.Combine(b, "autoruns.json"), """
                { "entries": [ { "kind": "RunKey", "location": "HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                  "name": "<script>alert(1)</script>\u001b[2K", "command": "\"C:\\Users\\bob\\AppData\\Local\\Temp\\csrsss.exe\" <img src=x onerror=alert(1)>",
                  "user": "CORP\\bob" } ] }
                """),
            Compromised,
            Expect.ReportsDefused("<script", "<img"));
    }

    private static string Csv(params string[] cells) =>
        string.Join(',', cells.Select(c => c.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c)) + "\n";
}
