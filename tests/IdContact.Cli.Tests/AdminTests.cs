namespace IdContact.Cli.Tests;

public sealed class AdminTests : CliTestBase
{
    [Fact]
    public void Admin_create_prints_a_one_time_password_once_per_user()
    {
        var data = Path.Combine(Dir, "data");
        var first = Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data);
        Assert.Equal(0, first.Code);
        var password = first.Output.Split(": ").Last().Trim();
        Assert.True(password.Length >= 12, password);
        Assert.True(File.Exists(Path.Combine(data, "desk", "arnhem.db")));

        var again = Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data);
        Assert.Equal(1, again.Code);
        var unknown = Run("admin", "create", "--tenant", "atlantis", "--user", "x", "--data", data);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("atlantis", unknown.Error);
    }
}
