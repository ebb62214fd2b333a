using QRCoder;

namespace IdContact.Hosting;

/// <summary>QR codes as PNG data URIs, for pages that must work without script.</summary>
public static class QrCodes
{
    public static string PngDataUri(string text, int pixelsPerModule = 8)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(pixelsPerModule));
    }
}
