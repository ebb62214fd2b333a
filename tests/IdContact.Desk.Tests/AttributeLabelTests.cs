using IdContact.Hosting.AuthPlugins;

namespace IdContact.Desk.Tests;

/// <summary>The one table of attribute names, which residents' sign-in pages and agents' cards both use.</summary>
public sealed class AttributeLabelTests
{
    [Theory]
    [InlineData("fullname", false, "Volledige naam (fullname)")]
    [InlineData("bsn", false, "BSN (bsn)")]
    [InlineData("bsn", true, "Citizen service number (BSN)")]
    [InlineData("unknown_tag", false, "unknown_tag")]
    public void A_tag_is_named_once_with_its_tag(string tag, bool english, string expected) =>
        Assert.Equal(expected, AttributeLabels.WithTag(tag, english));
}
