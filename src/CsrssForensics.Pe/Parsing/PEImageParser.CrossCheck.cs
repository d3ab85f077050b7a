using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Parsing;

/// <summary>
/// A second opinion from System.Reflection.PortableExecutable. Where the framework's strict reader and ours disagree,
/// one of the two is being fooled, which is worth an anomaly either way.
/// </summary>
internal sealed partial class PEImageParser
{
    private void CrossCheckWithFramework(FileHeader header, OptionalHeader optional)
    {
        PEHeaders headers;
        try
        {
            using var stream = OpenStream();
            headers = new PEHeaders(stream);
        }
        catch (BadImageFormatException ex)
        {
            Report(PEAnomalyCodes.FrameworkRejectsHeaders, AnomalySeverity.Low,
                "System.Reflection.PortableExecutable rejects the headers: " + ex.Message, null);
            return;
        }

        var differences = new List<string>();
        if ((ushort)headers.CoffHeader.Machine != header.Machine)
        {
            differences.Add("Machine");
        }

        if (headers.CoffHeader.NumberOfSections != header.NumberOfSections)
        {
            differences.Add("NumberOfSections");
        }

        if (headers.PEHeader is not { } peHeader)
        {
            differences.Add("optional header presence");
        }
        else
        {
            if ((peHeader.Magic == PEMagic.PE32Plus) != _isPe32Plus)
            {
                differences.Add("Magic");
            }

            if ((uint)peHeader.CheckSum != optional.CheckSum)
            {
                differences.Add("CheckSum");
            }

            if ((uint)peHeader.SizeOfHeaders != optional.SizeOfHeaders)
            {
                differences.Add("SizeOfHeaders");
            }

            if ((uint)peHeader.CertificateTableDirectory.RelativeVirtualAddress != _directories[DirectorySecurity].Rva
                || (uint)peHeader.CertificateTableDirectory.Size != _directories[DirectorySecurity].Size)
            {
                differences.Add("certificate directory");
            }
        }

        if (differences.Count > 0)
        {
            Report(PEAnomalyCodes.ParserDifferential, AnomalySeverity.Medium,
                "System.Reflection.PortableExecutable reads different header values: " + string.Join(", ", differences), null);
        }
    }

    private MemoryStream OpenStream()
    {
        // PEHeaders wants a stream; wrap the caller's array without copying when there is one.
        return MemoryMarshal.TryGetArray(_image, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(_image.ToArray(), writable: false);
    }
}
