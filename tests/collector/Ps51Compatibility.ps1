<#
.SYNOPSIS
    Finds PowerShell 7-only syntax and parameters in a script, so collect.ps1 keeps running on Windows PowerShell 5.1.
    PSScriptAnalyzer (PSUseCompatibleSyntax) is not obtainable offline; this walks the same AST node types.
    Dot-source it, then call Find-Ps7OnlySyntax -Path <file> or -Text <script text>; each finding is one string.
#>

# Parameters that exist only in PowerShell 6/7 (cmdlet name -> parameter names), and 6/7-only cmdlets.
$Ps7OnlyParameters = @{
    'ForEach-Object'   = @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob')
    'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
    'ConvertTo-Json'   = @('AsArray', 'EscapeHandling')
    'Get-Content'      = @('AsByteStream')
    'Set-Content'      = @('AsByteStream')
    'Add-Content'      = @('AsByteStream')
    'Invoke-WebRequest' = @('SkipCertificateCheck', 'SkipHttpErrorCheck', 'Authentication', 'Token')
    'Invoke-RestMethod' = @('SkipCertificateCheck', 'SkipHttpErrorCheck', 'Authentication', 'Token')
    'Select-String'    = @('Raw', 'NoEmphasis')
    'Get-ChildItem'    = @('FollowSymlink')
    'Split-Path'       = @('LeafBase', 'Extension')
    'Test-Connection'  = @('TcpPort', 'Traceroute')
    'Start-Process'    = @('Environment')
}
$Ps7OnlyCommands = @('Test-Json', 'Join-String', 'Get-Error', 'ConvertFrom-Markdown', 'Show-Markdown', 'Get-Uptime',
    'Remove-Alias', 'Remove-Service', 'Get-MarkdownOption', 'Set-MarkdownOption', 'Get-PSSubsystem', 'Clear-RecycleBin',
    'ConvertTo-CliXml', 'ConvertFrom-CliXml', 'Get-SecureRandom')
# Encodings 5.1 does not know ('utf8NoBOM' & co. came with 6.0).
$Ps7OnlyEncodings = @('utf8NoBOM', 'utf8BOM', 'ansi')

function Find-Ps7OnlySyntax {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Path')][string]$Path,
        [Parameter(Mandatory = $true, ParameterSetName = 'Text')][string]$Text
    )
    $tokens = $null
    $errors = $null
    if ($PSCmdlet.ParameterSetName -eq 'Path') {
        $full = (Resolve-Path -LiteralPath $Path).ProviderPath
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($full, [ref]$tokens, [ref]$errors)
        $bytes = [IO.File]::ReadAllBytes($full)
    }
    else {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
        $bytes = (New-Object System.Text.UTF8Encoding $false).GetBytes($Text)
    }
    $findings = New-Object System.Collections.Generic.List[string]
    foreach ($e in @($errors)) { if ($e) { $findings.Add(("line {0}: parse error: {1}" -f $e.Extent.StartLineNumber, $e.Message)) } }
    $L = 'System.Management.Automation.Language'
    $all = $ast.FindAll({ param($n) $true }, $true)
    foreach ($n in $all) {
        $line = $n.Extent.StartLineNumber
        $type = $n.GetType().Name
        switch ($type) {
            'TernaryExpressionAst' { $findings.Add("line ${line}: ternary operator ?: (PowerShell 7)") }
            'PipelineChainAst' { $findings.Add("line ${line}: pipeline chain && / || (PowerShell 7)") }
            'BinaryExpressionAst' {
                if ($n.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestion) { $findings.Add("line ${line}: null-coalescing ?? (PowerShell 7)") }
            }
            'AssignmentStatementAst' {
                if ($n.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestionEquals) { $findings.Add("line ${line}: null-coalescing assignment ??= (PowerShell 7)") }
            }
            'MemberExpressionAst' { if ($n.NullConditional) { $findings.Add("line ${line}: null-conditional member access ?. (PowerShell 7)") } }
            'InvokeMemberExpressionAst' { if ($n.NullConditional) { $findings.Add("line ${line}: null-conditional method call ?. (PowerShell 7)") } }
            'IndexExpressionAst' { if ($n.NullConditional) { $findings.Add("line ${line}: null-conditional index ?[] (PowerShell 7)") } }
            'NamedBlockAst' {
                if ($n.BlockKind.ToString() -eq 'Clean') { $findings.Add("line ${line}: clean block (PowerShell 7.3)") }
            }
            'CommandAst' {
                $name = $n.GetCommandName()
                if ($name) {
                    if ($Ps7OnlyCommands -contains $name) { $findings.Add("line ${line}: command $name exists only in PowerShell 6/7") }
                    $bad = $null
                    foreach ($k in $Ps7OnlyParameters.Keys) { if ($k -ieq $name) { $bad = $Ps7OnlyParameters[$k] } }
                    foreach ($el in $n.CommandElements) {
                        if ($el -is [System.Management.Automation.Language.CommandParameterAst]) {
                            if ($bad -and ($bad -contains $el.ParameterName)) { $findings.Add("line ${line}: $name -$($el.ParameterName) exists only in PowerShell 6/7") }
                            if ($el.ParameterName -ieq 'Parallel') { $findings.Add("line ${line}: -Parallel (ForEach-Object -Parallel is PowerShell 7)") }
                        }
                        if ($el -is [System.Management.Automation.Language.StringConstantExpressionAst] -and ($Ps7OnlyEncodings -contains $el.Value)) {
                            $findings.Add("line ${line}: encoding name '$($el.Value)' is unknown to PowerShell 5.1")
                        }
                    }
                }
            }
        }
    }
    # 5.1 reads a BOM-less script as ANSI: any non-ASCII byte would be mangled.
    for ($i = 0; $i -lt $bytes.Length; $i++) {
        if ($bytes[$i] -gt 127) { $findings.Add("byte offset ${i}: non-ASCII byte (Windows PowerShell 5.1 reads BOM-less scripts as ANSI)"); break }
    }
    return $findings.ToArray()
}

# Windows-only commands that must be reached only through the Get-Win* wrappers, so tests can replace them.
$WindowsOnlyCommands = @('Get-CimInstance', 'Get-WmiObject', 'Invoke-CimMethod', 'Get-AuthenticodeSignature', 'Get-Counter',
    'Get-ScheduledTask', 'Export-ScheduledTask', 'Get-MpComputerStatus', 'Get-MpThreatDetection', 'Get-MpThreat',
    'Get-MpPreference', 'Add-Type', 'quser', 'quser.exe', 'schtasks', 'schtasks.exe', 'reg', 'reg.exe', 'wmic', 'wmic.exe')

function Find-UnwrappedWindowsCalls {
    # Windows-only commands used outside a Get-Win* function (Add-Type for System.IO.Compression excepted: it is
    # portable and needed to write the zip on 5.1).
    param([Parameter(Mandatory = $true)][string]$Path)
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path -LiteralPath $Path).ProviderPath, [ref]$tokens, [ref]$errors)
    $findings = New-Object System.Collections.Generic.List[string]
    foreach ($cmd in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $cmd.GetCommandName()
        if (-not $name -or -not ($WindowsOnlyCommands -contains $name)) { continue }
        if ($name -eq 'Add-Type' -and $cmd.Extent.Text -match 'System\.IO\.Compression') { continue }
        $p = $cmd.Parent
        $owner = $null
        while ($p) {
            if ($p -is [System.Management.Automation.Language.FunctionDefinitionAst]) { $owner = $p.Name; break }
            $p = $p.Parent
        }
        if (-not $owner -or -not $owner.StartsWith('Get-Win')) {
            $findings.Add(("line {0}: {1} called from {2}, not from a Get-Win* wrapper" -f $cmd.Extent.StartLineNumber, $name, $(if ($owner) { $owner } else { 'script level' })))
        }
    }
    # New-Object -ComObject is Windows-only too.
    foreach ($cmd in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'New-Object' -and $n.Extent.Text -match '-ComObject' }, $true)) {
        $p = $cmd.Parent; $owner = $null
        while ($p) { if ($p -is [System.Management.Automation.Language.FunctionDefinitionAst]) { $owner = $p.Name; break }; $p = $p.Parent }
        if (-not $owner -or -not $owner.StartsWith('Get-Win')) { $findings.Add(("line {0}: COM object created outside a Get-Win* wrapper" -f $cmd.Extent.StartLineNumber)) }
    }
    return $findings.ToArray()
}

function Get-CSharp5Errors {
    # Windows PowerShell 5.1's Add-Type compiles with the .NET Framework C# 5 compiler: compile the source with the
    # Roslyn that ships with PowerShell 7, language version 5, and return the errors.
    param([Parameter(Mandatory = $true)][string]$Source)
    $parse = New-Object Microsoft.CodeAnalysis.CSharp.CSharpParseOptions ([Microsoft.CodeAnalysis.CSharp.LanguageVersion]::CSharp5)
    $tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($Source, $parse)
    $refs = New-Object 'System.Collections.Generic.List[Microsoft.CodeAnalysis.MetadataReference]'
    $runtimeDir = [IO.Path]::GetDirectoryName([object].Assembly.Location)
    foreach ($name in @('System.Private.CoreLib.dll', 'System.Runtime.dll', 'System.Runtime.InteropServices.dll', 'System.Collections.dll', 'System.IO.FileSystem.dll')) {
        $file = Join-Path $runtimeDir $name
        if (Test-Path -LiteralPath $file) { $refs.Add([Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($file)) }
    }
    $options = New-Object Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions ([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary)
    $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('Check', [Microsoft.CodeAnalysis.SyntaxTree[]]@($tree), $refs, $options)
    return @($compilation.GetDiagnostics() | Where-Object { $_.Severity -eq [Microsoft.CodeAnalysis.DiagnosticSeverity]::Error } | ForEach-Object { $_.ToString() })
}
