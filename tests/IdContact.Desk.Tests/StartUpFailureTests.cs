namespace IdContact.Desk.Tests;

/// <summary>
/// A start-up that fails for something other than the configuration exits with code 1 (systemd restarts it), not by
/// crashing on an unhandled exception (SIGABRT, exit 134, a core dump of a process that holds the keys).
/// </summary>
public sealed class StartUpFailureTests
{
    [Fact]
    public async Task A_data_directory_that_cannot_be_made_exits_with_code_1()
    {
        var dir = Directory.CreateTempSubdirectory("idcontact-startup-").FullName;
        try
        {
            var file = Path.Combine(dir, "a-file");
            await File.WriteAllTextAsync(file, "");

            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync("--data", Path.Combine(file, "data")));

            Assert.StartsWith("The server exited with 1:", e.Message, StringComparison.Ordinal);
            Assert.Contains("IdContact could not start", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
