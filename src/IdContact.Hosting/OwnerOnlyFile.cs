namespace IdContact.Hosting;

/// <summary>Files holding a private key or secret: readable and writable by the owner only.</summary>
public static class OwnerOnlyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates (or overwrites) the file owner-only from the start, so the content is never readable by others, even briefly.</summary>
    public static void Write(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnly); // an overwritten file keeps its old mode otherwise
        }
    }
}
