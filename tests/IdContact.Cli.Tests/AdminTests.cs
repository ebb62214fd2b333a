using Microsoft.Data.Sqlite;

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

    [Fact]
    public void Admin_create_with_privacy_makes_a_data_protection_officer_and_no_administrator()
    {
        var data = Path.Combine(Dir, "data");
        var created = Run("admin", "create", "--tenant", "arnhem", "--user", "fg", "--privacy", "--data", data);
        Assert.Equal(0, created.Code);
        Assert.StartsWith("Data protection officer 'fg' created for 'arnhem'.", created.Output);
        Assert.Equal(0, Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data).Code);

        Assert.Equal(["beheerder:admin", "fg:privacy"], Roles(Path.Combine(data, "desk", "arnhem.db")));
    }

    [Fact]
    public void Admin_create_refuses_a_display_name_with_an_invisible_or_control_character()
    {
        var data = Path.Combine(Dir, "data");
        var refused = Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--name", "Beheer\u202Eredeeheb", "--data", data);
        Assert.Equal(1, refused.Code);
        Assert.Contains("invisible or control characters", refused.Error);
        Assert.DoesNotContain("One-time password", refused.Output);

        // Nothing was made: the same user name is still free.
        Assert.Equal(0, Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--name", "Beheer der Gemeente", "--data", data).Code);
    }

    [Fact]
    public void Admin_create_refuses_a_display_name_stacking_more_than_four_combining_marks()
    {
        var data = Path.Combine(Dir, "data");
        var refused = Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--name", "Behe\u0301\u0302\u0303\u0304\u0308er", "--data", data);
        Assert.Equal(1, refused.Code);
        Assert.Contains("at most 4 combining marks", refused.Error);
        Assert.DoesNotContain("One-time password", refused.Output);
        Assert.Equal(0, Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--name", "Behe\u0301\u0302\u0303\u0304er", "--data", data).Code);
    }

    [Fact]
    public void Admin_create_names_a_database_it_cannot_use_as_an_operator_error_not_a_bug()
    {
        var data = Path.Combine(Dir, "data");
        Directory.CreateDirectory(Path.Combine(data, "desk", "arnhem.db")); // where the database file belongs
        var (code, output, error) = Run("admin", "create", "--tenant", "arnhem", "--user", "beheerder", "--data", data);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("The database could not be used: SQLite Error", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static List<string> Roles(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.UserName || ':' || r.Name FROM AspNetUserRoles ur
            JOIN AspNetUsers u ON u.Id = ur.UserId JOIN AspNetRoles r ON r.Id = ur.RoleId ORDER BY u.UserName
            """;
        using var reader = command.ExecuteReader();
        var roles = new List<string>();
        while (reader.Read())
        {
            roles.Add(reader.GetString(0));
        }

        return roles;
    }
}
