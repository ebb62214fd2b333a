namespace IdContact.Cli.Tests;

/// <summary><c>tenant remove</c> on SQLite: what a municipality taken out of the configuration left, listed, then deleted.</summary>
public sealed class TenantRemoveTests : CliTestBase
{
    [Fact]
    public void Tenant_remove_lists_then_deletes_the_files_of_a_municipality_no_longer_configured_and_keeps_the_others()
    {
        var data = Path.Combine(Dir, "data");
        Assert.Equal(0, Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data).Code);
        var desk = Path.Combine(data, "desk");
        // What a municipality 'zwolle' removed from the (demo) configuration left: its database and SQLite's files beside it.
        string[] left = [.. new[] { ".db", ".db-wal", ".db-shm" }.Select(suffix => Path.Combine(desk, "zwolle" + suffix))];
        foreach (var file in left)
        {
            File.Copy(Path.Combine(desk, "arnhem.db"), file);
        }

        var listed = Run("tenant", "remove", "--tenant", "zwolle", "--data", data);
        Assert.Equal(0, listed.Code);
        Assert.Contains($"Left: SQLite file {left[0]}", listed.Output);
        Assert.Contains("--yes", listed.Output);
        Assert.All(left, file => Assert.True(File.Exists(file)));

        var removed = Run("tenant", "remove", "--tenant", "zwolle", "--data", data, "--yes");
        Assert.Equal(0, removed.Code);
        Assert.Equal(3, removed.Output.Split('\n').Count(line => line.StartsWith("Removed: SQLite file ")));
        Assert.All(left, file => Assert.False(File.Exists(file)));
        Assert.True(File.Exists(Path.Combine(desk, "arnhem.db")));
        Assert.True(File.Exists(Path.Combine(desk, "_installation.db")));

        Assert.Equal("Nothing of municipality 'zwolle' is left.", Run("tenant", "remove", "--tenant", "zwolle", "--data", data, "--yes").Output.Trim());
    }

    [Theory]
    [InlineData("arnhem", "is still in this configuration")]
    [InlineData("../desk/arnhem", "is no municipality tag")]
    [InlineData("_installation", "is no municipality tag")]
    public void Tenant_remove_refuses_a_configured_municipality_or_what_is_no_tag_and_deletes_nothing(string tenant, string why)
    {
        var data = Path.Combine(Dir, "data");
        Assert.Equal(0, Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data).Code);

        var (code, output, error) = Run("tenant", "remove", "--tenant", tenant, "--data", data, "--yes");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains(why, error);
        Assert.True(File.Exists(Path.Combine(data, "desk", "arnhem.db")));
        Assert.True(File.Exists(Path.Combine(data, "desk", "_installation.db")));
    }
}
