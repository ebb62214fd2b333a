using IdContact.Hosting;

namespace IdContact.Roles.Tests;

public class PhoneNumberTextTests
{
    [Theory]
    [InlineData("+31263770000", "026 377 0000")]
    [InlineData("+31202222222", "020 222 2222")]
    [InlineData("+31612345678", "06 12345678")]
    [InlineData("+3226701111", "+32 2 670 11 11")]
    [InlineData("+4930123456", "+49 30 123456")]
    [InlineData("not a number", "not a number")]
    [InlineData("+31 1", "+31 1")]
    public void Dutch_numbers_are_grouped_nationally_foreign_ones_internationally_and_others_shown_as_given(string given, string shown) =>
        Assert.Equal(shown, PhoneNumberText.Display(given));

    [Fact]
    public void Screen_readers_get_the_digits_one_by_one_with_a_pause_between_groups() =>
        Assert.Equal("0 2 6, 3 7 7, 0 0 0 0", PhoneNumberText.Spoken("026 377 0000"));
}
