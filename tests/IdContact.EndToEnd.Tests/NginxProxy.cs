using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdContact.Roles.Tests;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// deploy/nginx-idcontact.conf as an operator installs it, run by a real nginx on free loopback ports with a self-signed
/// certificate made here, in front of the given upstream instances. Only the example values an operator replaces are
/// replaced (ports, name, certificate paths, upstream servers); every replaced text must occur exactly once, so a
/// change of the file that the test no longer covers fails here.
/// </summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxProxy(Process process, string directory, int httpsPort, X509Certificate2 certificate)
    {
        _process = process;
        _directory = directory;
        HttpsPort = httpsPort;
        Certificate = certificate;
    }

    /// <summary>nginx on this machine, or null: the tests that need it are skipped then.</summary>
    public static string? Executable { get; } = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);

    public int HttpsPort { get; }

    public string BaseUrl => $"https://127.0.0.1:{HttpsPort}";

    public X509Certificate2 Certificate { get; }

    public static string ConfPath => Path.Combine(RepositoryRoot(), "deploy", "nginx-idcontact.conf");

    /// <summary>Free ports for the proxy, chosen before the upstreams start (they need the public URL).</summary>
    public static (int Https, int Http) FreePorts() => (RunningServer.FreePort(), RunningServer.FreePort());

    /// <summary>Renders the deploy file (or <paramref name="conf"/>, a variant of it) and starts nginx in the foreground.</summary>
    public static async Task<NginxProxy> StartAsync((int Https, int Http) ports, IEnumerable<string> upstreams, string? conf = null)
    {
        var directory = Directory.CreateTempSubdirectory("idcontact-nginx-").FullName;
        // nginx's workers run as an unprivileged user when the test runs as root: they must reach the temp directories.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }

        var certificate = SelfSigned();
        await File.WriteAllTextAsync(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        }

        var rendered = Render(conf ?? await File.ReadAllTextAsync(ConfPath), ports, upstreams, directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "idcontact.conf"), rendered);
        // What /etc/nginx/nginx.conf gives the site file on Debian, with every path in the temp directory.
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            worker_processes 1;
            events { worker_connections 256; }
            http {
                access_log {{directory}}/access.log;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/idcontact.conf;
            }
            """);

        var start = new ProcessStartInfo(Executable!)
        {
            ArgumentList = { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log"), "-g", "daemon off;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        var proxy = new NginxProxy(process, directory, ports.Https, certificate);
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                var log = await process.StandardError.ReadToEndAsync();
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, ports.Https);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        await proxy.DisposeAsync();
        throw new InvalidOperationException("nginx did not listen within 10 s.");
    }

    /// <summary>A client of the proxy from <paramref name="from"/> (any 127.x address is this machine) that trusts only its certificate.</summary>
    public HttpClient Client(string from = "127.0.0.1")
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == Certificate.GetCertHashString(),
            },
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The workers too: killed alone, the master leaves them running, orphaned.
            _process.Kill(entireProcessTree: true);
            await Bounded.WithinAsync(_process.WaitForExitAsync(), "nginx exiting after it was killed");
        }

        _process.Dispose();
        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Render(string conf, (int Https, int Http) ports, IEnumerable<string> upstreams, string directory)
    {
        conf = Replace(conf, "listen 80;", $"listen 127.0.0.1:{ports.Http};");
        conf = Replace(conf, "listen 443 ssl http2;", $"listen 127.0.0.1:{ports.Https} ssl http2;");
        conf = Replace(conf, "/etc/letsencrypt/live/idcontact.example.nl/fullchain.pem", Path.Combine(directory, "cert.pem"));
        conf = Replace(conf, "/etc/letsencrypt/live/idcontact.example.nl/privkey.pem", Path.Combine(directory, "key.pem"));
        return Replace(conf, "server 127.0.0.1:5080;", string.Concat(upstreams.Select(u => $"server {u}; ")));
    }

    private static string Replace(string conf, string example, string value)
    {
        var count = conf.Split(example).Length - 1;
        Assert.True(count == 1, $"deploy/nginx-idcontact.conf should contain \"{example}\" once (the test replaces it), found {count}.");
        return conf.Replace(example, value, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IdContact.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("IdContact.slnx not found above the test output.");
    }
}

/// <summary>A test that needs nginx: skipped, with the reason, when it is not installed (CI installs it).</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (NginxProxy.Executable is null)
        {
            Skip = "nginx is not installed (apt-get install nginx); CI installs it, so CI runs this test.";
        }
    }
}
