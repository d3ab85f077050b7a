using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.Facts;

/// <summary>Facts about the running process of the subject: parent, session, account and command line.</summary>
internal sealed partial class SubjectFacts
{
    private void AddProcess()
    {
        var process = _context.Process;
        if (_context.Subject.Kind != SubjectKind.Process || process is null)
        {
            return;
        }

        var parent = _context.LivingParent;
        Set(FactNames.ProcessPid, FactValue.Of(process.Pid));
        Set(FactNames.ProcessHasLivingParent, FactValue.Of(parent is not null));
        Set(FactNames.ProcessParentName, FactValue.Of(parent?.Name));
        Set(FactNames.ProcessParentPidReused, FactValue.Of(_context.ParentPidReused));
        Set(FactNames.ProcessAccount, FactValue.Of(process.User));
        Set(FactNames.ProcessSessionId, FactValue.Of(process.SessionId));
        Set(FactNames.ProcessCommandLine, FactValue.Of(process.CommandLine));
        Set(FactNames.ProcessCommandLineKnown, FactValue.Of(!string.IsNullOrWhiteSpace(process.CommandLine)));
        Set(FactNames.ProcessCpuPercent, FactValue.Of(process.CpuPercent));
        Set(FactNames.ProcessGpuPercent, FactValue.Of(process.GpuPercent));
        Set(FactNames.ProcessChildren, FactValue.Of(_context.Children.Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase)));

        if (_core is null)
        {
            return;
        }

        AddParent(process, parent, _core);
        AddSession(process, _core);
        AddAccount(process, _core);
        AddCommandLine(process, _core);
        if (_core.ChildrenChecked)
        {
            UnexpectedChildren = [.. _context.Children.Where(c => !_core.AllowedChildren.Any(a => SameName(a, c.Name)))];
            Set(FactNames.ProcessUnexpectedChildren, FactValue.Of(UnexpectedChildren.Length));
            Set(FactNames.ProcessChildren, FactValue.Of(UnexpectedChildren.Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase)));
        }
        else
        {
            UnexpectedChildren = _context.Children;
        }
    }

    private void AddParent(ProcessRecord process, ProcessRecord? parent, CoreProcessRule core)
    {
        if (parent is not null)
        {
            var allowed = core.AllowedParents.Any(a => SameName(a, parent.Name)) && IsSystemImage(parent.ImagePath);
            Set(FactNames.ProcessParentAllowed, FactValue.Of(allowed));

            // No allowed list: for "none" any living parent is odd; for the others the parent is not checked.
            var unexpected = core.AllowedParents.IsEmpty ? core.LivingParent == LivingParentPolicy.None : !allowed;
            Set(FactNames.ProcessParentUnexpected, FactValue.Of(unexpected));
            return;
        }

        if (core.LivingParent == LivingParentPolicy.Required)
        {
            // Without a parent PID the snapshot simply does not say; with one, a required parent that is gone is odd.
            Set(FactNames.ProcessParentUnexpected, process.ParentPid is null ? FactValue.Unknown : FactValue.True);
        }
        else
        {
            Set(FactNames.ProcessParentUnexpected, FactValue.False);
        }
    }

    // The parent's own image must be a system one: "smss.exe" running from AppData is not smss.
    private bool IsSystemImage(string? imagePath)
    {
        if (string.IsNullOrWhiteSpace(imagePath))
        {
            return true;
        }

        var directory = WindowsPath.Directory(WindowsPath.Normalize(imagePath, _systemRoot));
        if (directory is null || WindowsPath.HasTrailingDotOrSpace(imagePath))
        {
            return false;
        }

        return SystemRootFolders.IsOneOf(WindowsPath.Key(directory), _folders.ParentImageFolderKeys)
            || WindowsPath.IsUnder(directory, _folders.DefenderPlatform);
    }

    private void AddSession(ProcessRecord process, CoreProcessRule core)
    {
        if (process.SessionId is not int session)
        {
            return;
        }

        Set(FactNames.ProcessSessionExpected, core.Session switch
        {
            SessionPolicy.Zero => FactValue.Of(session == 0),
            SessionPolicy.NonZero => FactValue.Of(session > 0),
            _ => FactValue.Unknown,
        });

        // Compare paths, not counts: only same-path (or path-less) instances make a duplicate; a fake elsewhere in the
        // session gets its own verdict and does not make the genuine one odd.
        var ownKey = _normalizedPath is null ? null : WindowsPath.Key(_normalizedPath);
        SessionDuplicates = [.. _context.SameNameInSameSession.Where(other =>
        {
            var otherPath = WindowsPath.Normalize(other.ImagePath, _systemRoot);
            return other.Pid != process.Pid && (otherPath is null || ownKey is null || string.Equals(WindowsPath.Key(otherPath), ownKey, StringComparison.Ordinal));
        })];
        Set(FactNames.ProcessSessionDuplicates, FactValue.Of(SessionDuplicates.Length));
        if (core.Instances != InstancePolicy.Many)
        {
            Set(FactNames.ProcessSessionDuplicateUnexpected, FactValue.Of(SessionDuplicates.Length > 0));
        }
    }

    private void AddAccount(ProcessRecord process, CoreProcessRule core)
    {
        if (core.Accounts.IsEmpty || string.IsNullOrWhiteSpace(process.User))
        {
            return;
        }

        Set(FactNames.ProcessAccountExpected, FactValue.Of(core.Accounts.Any(a => AccountPattern.Matches(a, process.User))));
    }

    private void AddCommandLine(ProcessRecord process, CoreProcessRule core)
    {
        switch (core.CommandLine)
        {
            case CommandLineShape.SubSystemsWindows:
                var expected = _context.Host?.SubSystemsWindows;
                if (string.IsNullOrWhiteSpace(expected))
                {
                    Set(FactNames.ProcessExpectedCommandLine, FactValue.Of("ObjectDirectory=... SubSystemType=Windows ServerDll=... (SubSystems\\Windows not collected)"));
                    if (!string.IsNullOrWhiteSpace(process.CommandLine))
                    {
                        Set(FactNames.ProcessCommandLineExpected, FactValue.Of(ExpectedCommandLine.LooksLikeSubSystems(process.CommandLine)));
                    }

                    break;
                }

                Set(FactNames.ProcessExpectedCommandLine, FactValue.Of(expected));
                if (!string.IsNullOrWhiteSpace(process.CommandLine))
                {
                    Set(FactNames.ProcessCommandLineExpected, FactValue.Of(ExpectedCommandLine.Matches(process.CommandLine, expected, _systemRoot)));
                }

                break;
            case CommandLineShape.SvchostGroup:
                Set(FactNames.ProcessExpectedCommandLine, FactValue.Of("-k <group>"));
                if (!string.IsNullOrWhiteSpace(process.CommandLine))
                {
                    Set(FactNames.ProcessCommandLineExpected, FactValue.Of(ExpectedCommandLine.HasServiceGroup(process.CommandLine)));
                }

                break;
        }
    }
}
