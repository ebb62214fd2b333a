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

    [Fact]
    public async Task A_port_in_use_is_one_line_without_the_frameworks_stack()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
        var dir = Directory.CreateTempSubdirectory("idcontact-startup-").FullName;
        try
        {
            // The later --urls wins over the free port ServerProcess passes first.
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync("--data", dir, "--urls", url));

            Assert.StartsWith("The server exited with 1:", e.Message, StringComparison.Ordinal);
            Assert.Contains($"IdContact could not start: Failed to bind to address {url}: address already in use", e.Message, StringComparison.Ordinal);
            // Until 2026-11-28 the host's own "Hosting failed to start" came first, with some forty lines of stack.
            Assert.DoesNotContain("Hosting failed to start", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(e.Message.Split('\n'), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
