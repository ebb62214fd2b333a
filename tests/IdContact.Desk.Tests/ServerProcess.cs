using System.Collections.Concurrent;
using System.Diagnostics;

namespace IdContact.Desk.Tests;

/// <summary>
/// The built IdContact.Server executable in a process of its own, so a test can kill it for real
/// (<see cref="Process.Kill(bool)"/> is SIGKILL on Linux: no shutdown code runs, open transactions are cut).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public int Id => _process.Id;

    /// <summary>The last lines the server wrote, for a failure message.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the server with <paramref name="args"/> on a free loopback port and waits until /health/ready answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(params string[] args)
    {
        var baseUrl = $"http://127.0.0.1:{Roles.Tests.RunningServer.FreePort()}";
        var executable = Executable();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--urls", baseUrl, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        var server = new ServerProcess(Process.Start(start)!, baseUrl);
        using var probe = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 600; i++)
        {
            if (server._process.HasExited)
            {
                // Waits for the last lines too: the output is read on other threads, after the exit is seen.
                await server._process.WaitForExitAsync();
                throw new InvalidOperationException($"The server exited with {server._process.ExitCode}:\n{server.Output}");
            }

            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException("The server did not become ready in 60 s:\n" + server.Output);
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>The server project's own build output (same configuration as the tests), else the copy beside the tests.</summary>
    private static string Executable()
    {
        var name = OperatingSystem.IsWindows() ? "IdContact.Server.exe" : "IdContact.Server";
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "IdContact.Server", "bin", configuration, output.Name, name);
            if (File.Exists(Path.Combine(dir.FullName, "IdContact.slnx")) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, name);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
