// One test sets an environment variable; running the classes one after another keeps that from leaking.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace IdContact.Cli.Tests;

/// <summary>Runs the CLI in-process in a fresh temporary directory, with captured output and an optional clock.</summary>
public abstract class CliTestBase : IDisposable
{
    protected readonly string Dir = Directory.CreateTempSubdirectory("idcontact-cli-").FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static (int Code, string Output, string Error) Run(params string[] args) => Run(args, null, null);

    protected static (int Code, string Output, string Error) Run(string[] args, string? stdin = null, TimeProvider? time = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error, new StringReader(stdin ?? ""), time);
        var result = (code, output.ToString(), error.ToString());
        Assert.DoesNotContain("   at ", result.Item3); // never a stack trace
        return result;
    }

    /// <summary>Generates an auth plugin key pair and a comm plugin key pair with keygen.</summary>
    protected (string Auth, string Comm) Keys(string signType, string encryptType)
    {
        var auth = Path.Combine(Dir, "auth");
        var comm = Path.Combine(Dir, "comm");
        Assert.Equal(0, Run("keygen", "--type", signType, "--out", auth).Code);
        Assert.Equal(0, Run("keygen", "--type", encryptType, "--out", comm).Code);
        return (auth, comm);
    }

    protected static string Issue(string auth, string comm, params string[] extra) => Issue(auth, comm, null, extra);

    protected static string Issue(string auth, string comm, TimeProvider? time, params string[] extra)
    {
        var (code, output, error) = Run(["token", "issue", "--sign-key", Path.Combine(auth, "private.pem"), "--encrypt-key", Path.Combine(comm, "public.pem"), .. extra], time: time);
        Assert.True(code == 0, error);
        return output.Trim();
    }

    protected sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
