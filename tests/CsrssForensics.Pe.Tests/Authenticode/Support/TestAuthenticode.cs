using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CsrssForensics.Pe.Tests.Authenticode.Support;

/// <summary>
/// Signs test PEs the way signtool lays them out (FIXTURE-RECIPES.md route 2), with its own small image hasher written
/// independently of the production one (osslsigncode is the referee between the two).
/// </summary>
internal static class TestAuthenticode
{
    public const string SpcIndirectData = "1.3.6.1.4.1.311.2.1.4";
    public const string SpcPeImageData = "1.3.6.1.4.1.311.2.1.15";
    public const string SpcFlatFileData = "1.3.6.1.4.1.311.2.1.25";
    public const string Sha1Oid = "1.3.14.3.2.26";
    public const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>A small unsigned PE32+ with an odd length (so the 8-byte pad matters) built by the pe helper's builder.</summary>
    public static byte[] UnsignedPe(string marker = "authenticode-test") =>
        CsrssForensics.Pe.Tests.Support.TestPEBuilder.Pe32Plus()
            .WithSubsystem(CsrssForensics.Pe.Tests.Support.TestPEBuilder.SubsystemWindowsCui)
            .WithVersionString("OriginalFilename", marker + ".exe")
            .WithOverlay(Encoding.ASCII.GetBytes(marker + "-overlay-odd"))
            .Build();

    /// <summary>
    /// Image hash by the book: skip IMAGE_OPTIONAL_HEADER.CheckSum (O+64, 4 bytes) and data directory 4 (O+128 or O+144,
    /// 8 bytes), stop at the certificate table (or end of file), zero pad to 8 when unsigned.
    /// </summary>
    public static byte[] ImageHash(byte[] pe, HashAlgorithmName algorithm)
    {
        int lfanew = BinaryPrimitives.ReadInt32LittleEndian(pe.AsSpan(0x3C));
        int optional = lfanew + 24;
        bool plus = BinaryPrimitives.ReadUInt16LittleEndian(pe.AsSpan(optional)) == 0x20B;
        int checkSum = optional + 64;
        int directory = optional + (plus ? 144 : 128);
        int tableStart = BinaryPrimitives.ReadInt32LittleEndian(pe.AsSpan(directory));
        int end = tableStart != 0 ? tableStart : pe.Length;
        var data = new List<byte>();
        data.AddRange(pe[..checkSum]);
        data.AddRange(pe[(checkSum + 4)..directory]);
        data.AddRange(pe[(directory + 8)..end]);
        if (tableStart == 0)
        {
            // The pad makes FILE_SIZE (not the hashed length) a multiple of 8.
            data.AddRange(new byte[(8 - (pe.Length % 8)) % 8]);
        }

        return CryptographicOperations.HashData(algorithm, [.. data]);
    }

    /// <summary>SpcIndirectDataContent { SpcAttributeTypeAndOptionalValue { type, SpcPeImageData }, DigestInfo }.</summary>
    /// <param name="pageHashes">When given, SpcPeImageData links a page hash table ((OID, table bytes)) instead of an empty file name.</param>
    public static byte[] IndirectData(byte[] digest, string digestOid, string dataType = SpcPeImageData, (string Oid, byte[] Table)? pageHashes = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(dataType);
                using (writer.PushSequence())
                {
                    writer.WriteBitString([]);
                    if (pageHashes is { } pages)
                    {
                        // [0] EXPLICIT SpcLink ::= [1] IMPLICIT SpcSerializedObject { classId, serializedData }.
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
                        {
                            writer.WriteOctetString(Convert.FromHexString("a6b586d5b4a12466ae05a217da8e60d6"));
                            writer.WriteOctetString(PageHashAttributes(pages.Oid, pages.Table));
                        }
                    }
                    else
                    {
                        // [0] EXPLICIT SpcLink ::= [2] file SpcString ::= [0] IMPLICIT BMPString "".
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true)))
                        {
                            writer.WriteCharacterString(UniversalTagNumber.BMPString, "", new Asn1Tag(TagClass.ContextSpecific, 0));
                        }
                    }
                }
            }

            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(digestOid);
                    writer.WriteNull();
                }

                writer.WriteOctetString(digest);
            }
        }

        return writer.Encode();
    }

    /// <summary>SET { SEQUENCE { page hash OID, SET { OCTET STRING table } } }, the serialized data of the page hash link.</summary>
    private static byte[] PageHashAttributes(string oid, byte[] table)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf())
            {
                writer.WriteOctetString(table);
            }
        }

        return writer.Encode();
    }

    /// <summary>Signs content with SignedCms (CMS form: the content is wrapped in an OCTET STRING).</summary>
    /// <param name="padding">RSA padding of the signer's signature: PKCS#1 v1.5 unless given (RSASSA-PSS uses salt = hash length).</param>
    public static byte[] Sign(string contentType, byte[] content, X509Certificate2 signer, X509Certificate2[] chain, HashAlgorithmName digest, RSASignaturePadding? padding = null)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(contentType), content), detached: false);
        using RSA? key = padding is null ? null : signer.GetRSAPrivateKey();
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer, key, padding)
        {
            DigestAlgorithm = new Oid(digest == HashAlgorithmName.SHA1 ? Sha1Oid : Sha256Oid),
            IncludeOption = X509IncludeOption.None,
        };
        cmsSigner.Certificates.Add(signer);
        cmsSigner.Certificates.AddRange(chain);
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }

    public static byte[] SignPe(byte[] unsignedPe, X509Certificate2 signer, X509Certificate2[] chain, HashAlgorithmName digest, RSASignaturePadding? padding = null) =>
        Sign(SpcIndirectData, IndirectData(ImageHash(unsignedPe, digest), digest == HashAlgorithmName.SHA1 ? Sha1Oid : Sha256Oid), signer, chain, digest, padding);

    /// <summary>Adds an RFC 3161 token (unsigned attribute 1.3.6.1.4.1.311.3.3.1) made by a local TSA at genTime.</summary>
    public static byte[] AddRfc3161Timestamp(byte[] signedData, X509Certificate2 tsa, X509Certificate2[] tsaChain, DateTimeOffset genTime)
    {
        var cms = new SignedCms();
        cms.Decode(signedData);
        byte[] imprint = SHA256.HashData(cms.SignerInfos[0].GetSignature());
        var info = new AsnWriter(AsnEncodingRules.DER);
        using (info.PushSequence())
        {
            info.WriteInteger(1);
            info.WriteObjectIdentifier("1.2.3.4.1");
            using (info.PushSequence())
            {
                using (info.PushSequence())
                {
                    info.WriteObjectIdentifier(Sha256Oid);
                    info.WriteNull();
                }

                info.WriteOctetString(imprint);
            }

            info.WriteInteger(RandomNumberGenerator.GetInt32(1, int.MaxValue));
            info.WriteGeneralizedTime(genTime, omitFractionalSeconds: true);
        }

        var token = new SignedCms(new ContentInfo(new Oid("1.2.840.113549.1.9.16.1.4"), info.Encode()), detached: false);
        var tsaSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, tsa)
        {
            DigestAlgorithm = new Oid(Sha256Oid),
            IncludeOption = X509IncludeOption.None,
        };
        tsaSigner.Certificates.Add(tsa);
        tsaSigner.Certificates.AddRange(tsaChain);
        // ESS signing-certificate-v2 (RFC 5816): OpenSSL's TS verification, and so osslsigncode, requires it.
        var ess = new AsnWriter(AsnEncodingRules.DER);
        using (ess.PushSequence())
        using (ess.PushSequence())
        using (ess.PushSequence())
        {
            ess.WriteOctetString(SHA256.HashData(tsa.RawData));
        }

        tsaSigner.SignedAttributes.Add(new AsnEncodedData(new Oid("1.2.840.113549.1.9.16.2.47"), ess.Encode()));
        tsaSigner.SignedAttributes.Add(new Pkcs9SigningTime(genTime.UtcDateTime));
        token.ComputeSignature(tsaSigner, silent: true);
        cms.SignerInfos[0].AddUnsignedAttribute(new AsnEncodedData(new Oid("1.3.6.1.4.1.311.3.3.1"), token.Encode()));
        return cms.Encode();
    }

    /// <summary>
    /// Adds a legacy PKCS#9 countersignature (unsigned attribute 1.2.840.113549.1.9.6) built by hand, laid out like
    /// Microsoft's (contentType id-data, signingTime, messageDigest = SHA-1 of the parent's encryptedDigest).
    /// </summary>
    public static byte[] AddCounterSignature(byte[] signedData, X509Certificate2 tsa, DateTimeOffset signingTime)
    {
        var cms = new SignedCms();
        cms.Decode(signedData);
        byte[] parentSignature = cms.SignerInfos[0].GetSignature();
        var attributes = new AsnWriter(AsnEncodingRules.DER);
        using (attributes.PushSetOf())
        {
            // contentType id-data, as in Microsoft's legacy countersignatures (pciide.sys).
            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier("1.2.840.113549.1.9.3");
                using (attributes.PushSetOf())
                {
                    attributes.WriteObjectIdentifier("1.2.840.113549.1.7.1");
                }
            }

            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier("1.2.840.113549.1.9.5");
                using (attributes.PushSetOf())
                {
                    attributes.WriteUtcTime(signingTime);
                }
            }

            using (attributes.PushSequence())
            {
                attributes.WriteObjectIdentifier("1.2.840.113549.1.9.4");
                using (attributes.PushSetOf())
                {
                    attributes.WriteOctetString(CryptographicOperations.HashData(HashAlgorithmName.SHA1, parentSignature));
                }
            }
        }

        byte[] signedAttributes = attributes.Encode();
        byte[] signature = tsa.GetRSAPrivateKey()!.SignData(signedAttributes, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        byte[] implicitAttributes = (byte[])signedAttributes.Clone();
        implicitAttributes[0] = 0xA0; // [0] IMPLICIT SET OF Attribute
        var signerInfo = new AsnWriter(AsnEncodingRules.DER);
        using (signerInfo.PushSequence())
        {
            signerInfo.WriteInteger(1);
            using (signerInfo.PushSequence())
            {
                signerInfo.WriteEncodedValue(tsa.IssuerName.RawData);
                signerInfo.WriteInteger(tsa.SerialNumberBytes.Span);
            }

            using (signerInfo.PushSequence())
            {
                signerInfo.WriteObjectIdentifier(Sha1Oid);
                signerInfo.WriteNull();
            }

            signerInfo.WriteEncodedValue(implicitAttributes);
            using (signerInfo.PushSequence())
            {
                signerInfo.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                signerInfo.WriteNull();
            }

            signerInfo.WriteOctetString(signature);
        }

        cms.SignerInfos[0].AddUnsignedAttribute(new AsnEncodedData(new Oid("1.2.840.113549.1.9.6"), signerInfo.Encode()));
        cms.AddCertificate(tsa);
        return cms.Encode();
    }

    /// <summary>Adds <paramref name="nested"/> as a nested signature (unsigned attribute 1.3.6.1.4.1.311.2.4.1).</summary>
    public static byte[] AddNested(byte[] primary, byte[] nested)
    {
        var cms = new SignedCms();
        cms.Decode(primary);
        cms.SignerInfos[0].AddUnsignedAttribute(new AsnEncodedData(new Oid("1.3.6.1.4.1.311.2.4.1"), nested));
        return cms.Encode();
    }

    /// <summary>One WIN_CERTIFICATE (revision 2.0, PKCS_SIGNED_DATA) padded with zeros to 8 bytes.</summary>
    public static byte[] WinCertificate(byte[] content, ushort revision = 0x0200, ushort type = 0x0002)
    {
        int length = 8 + content.Length;
        byte[] entry = new byte[(length + 7) & ~7];
        BinaryPrimitives.WriteInt32LittleEndian(entry, length);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(4), revision);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(6), type);
        content.CopyTo(entry, 8);
        return entry;
    }

    /// <summary>Pads the unsigned PE to 8 bytes, appends the table and points data directory 4 at it.</summary>
    public static byte[] Embed(byte[] unsignedPe, byte[] table, uint? declaredSize = null)
    {
        int start = (unsignedPe.Length + 7) & ~7;
        byte[] result = new byte[start + table.Length];
        unsignedPe.CopyTo(result, 0);
        table.CopyTo(result, start);
        int lfanew = BinaryPrimitives.ReadInt32LittleEndian(result.AsSpan(0x3C));
        int optional = lfanew + 24;
        bool plus = BinaryPrimitives.ReadUInt16LittleEndian(result.AsSpan(optional)) == 0x20B;
        int directory = optional + (plus ? 144 : 128);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(directory), start);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(directory + 4), declaredSize ?? (uint)table.Length);
        return result;
    }

    public static byte[] SignedPe(byte[] unsignedPe, byte[] signedData) => Embed(unsignedPe, WinCertificate(signedData));

    /// <summary>A catalog member: its tag bytes plus optional SpcIndirectDataContent and name values.</summary>
    public sealed record Member(byte[] Tag, byte[]? IndirectData = null, string? File = null, string? Hint = null);

    /// <summary>A certificate trust list (szOID_CTL) with the given members and subject algorithm.</summary>
    public static byte[] TrustList(string subjectAlgorithm, params Member[] members)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.6.1.4.1.311.12.1.1");
            }

            writer.WriteOctetString(RandomNumberGenerator.GetBytes(16));
            writer.WriteUtcTime(TestPki.Epoch);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(subjectAlgorithm);
                writer.WriteNull();
            }

            using (writer.PushSequence())
            {
                foreach (Member member in members)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteOctetString(member.Tag);
                        using (writer.PushSetOf())
                        {
                            if (member.IndirectData is not null)
                            {
                                WriteAttribute(writer, SpcIndirectData, member.IndirectData);
                            }

                            if (member.File is not null)
                            {
                                WriteAttribute(writer, "1.3.6.1.4.1.311.12.2.1", NameValue("File", member.File));
                            }

                            if (member.Hint is not null)
                            {
                                WriteAttribute(writer, "1.3.6.1.4.1.311.12.2.1", NameValue("Hint", member.Hint));
                            }
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>v1 (makecat) tag: upper-case hex in UTF-16LE with a terminating NUL.</summary>
    public static byte[] Utf16HexTag(byte[] hash) => Encoding.Unicode.GetBytes(Convert.ToHexString(hash) + "\0");

    public static byte[] SignCatalog(byte[] trustList, X509Certificate2 signer, X509Certificate2[] chain) =>
        Sign("1.3.6.1.4.1.311.10.1", trustList, signer, chain, HashAlgorithmName.SHA256);

    /// <summary>A catalog nobody signed: SignedData with no SignerInfo, PKCS#7 content form (makecat output before signing).</summary>
    public static byte[] UnsignedCatalog(byte[] trustList)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.7.2");
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf())
                {
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.3.6.1.4.1.311.10.1");
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                    {
                        writer.WriteEncodedValue(trustList);
                    }
                }

                using (writer.PushSetOf())
                {
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteAttribute(AsnWriter writer, string oid, byte[] value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf())
            {
                writer.WriteEncodedValue(value);
            }
        }
    }

    private static byte[] NameValue(string name, string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.BMPString, name);
            writer.WriteInteger(0x10010001);
            writer.WriteOctetString(Encoding.Unicode.GetBytes(value + "\0"));
        }

        return writer.Encode();
    }
}
