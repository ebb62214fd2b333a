using ResidentLabels = IdContact.Hosting.AuthPlugins.AttributeLabels;
using StaffLabels = IdContact.Desk.Pages.AttributeLabels;

namespace IdContact.Desk.Tests;

/// <summary>The resident's sign-in page and the agent's data panel name the same attribute the same way.</summary>
public sealed class AttributeLabelTests
{
    [Theory]
    [InlineData("email", false)]
    [InlineData("email", true)]
    [InlineData("birthdate", false)]
    [InlineData("birthdate", true)]
    public void An_attribute_has_one_name_for_the_resident_and_the_agent(string tag, bool english) =>
        Assert.Equal(StaffLabels.For(tag, english), ResidentLabels.Plain(tag, english));
}
