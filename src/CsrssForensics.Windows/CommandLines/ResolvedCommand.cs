using System.Collections.Immutable;

namespace CsrssForensics.Windows.CommandLines;

/// <summary>What a command line finally runs, once launcher wrappers (cmd, PowerShell, rundll32...) are peeled off.</summary>
/// <param name="Executable">The normalized program the command line starts (the outermost one), or null.</param>
/// <param name="Target">The normalized file (or URL, for mshta/regsvr32 scriptlets) the chain finally runs, or null when it cannot be told.</param>
/// <param name="Via">The wrappers peeled off, outermost first, joined with <c>&gt;</c> (<c>cmd&gt;powershell</c>), or <c>direct</c>.</param>
/// <param name="Notes">What was seen on the way: decoded PowerShell text, entry points, chained commands, URLs.</param>
public sealed record ResolvedCommand(string? Executable, string? Target, string Via, ImmutableArray<string> Notes);
