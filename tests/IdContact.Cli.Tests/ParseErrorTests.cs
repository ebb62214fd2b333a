namespace IdContact.Cli.Tests;

/// <summary>A misspelt command is named first, not after System.CommandLine's "Required command was not provided.".</summary>
public sealed class ParseErrorTests : CliTestBase
{
    [Theory]
    [InlineData(new[] { "confg", "check" }, "Unrecognized command or argument 'confg'.", "config")]
    [InlineData(new[] { "config", "chek" }, "Unrecognized command or argument 'chek'.", "check")]
    public void A_misspelt_command_is_the_first_and_only_complaint_with_the_nearest_command_suggested(string[] args, string first, string suggested)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(1, code);
        Assert.Equal(first, error.Split(Environment.NewLine)[0]);
        Assert.DoesNotContain("Required command was not provided", error, StringComparison.Ordinal);
        Assert.Contains($"Did you mean one of the following?{Environment.NewLine}{suggested}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_left_out_is_still_said()
    {
        var (code, _, error) = Run("config");

        Assert.Equal(1, code);
        Assert.Equal("Required command was not provided.", error.Trim());
    }
}
