using IdContact.Desk.Agents;

namespace IdContact.Desk.Tests;

/// <summary>P6: the link to the municipality's own system carries the attribute as a URL parameter, or is not offered.</summary>
public sealed class ExternalLinkTests
{
    [Fact]
    public void A_value_is_escaped_into_the_url_so_it_cannot_add_parameters_or_leave_the_query()
    {
        var attributes = new Dictionary<string, string> { ["bsn"] = "999993653", ["fullname"] = "Jan & Piet?x=1#frag" };

        Assert.Equal("https://zaken.example.nl/?bsn=999993653", ExternalLink.Fill("https://zaken.example.nl/?bsn={bsn}", attributes));
        Assert.Equal(
            "https://zaken.example.nl/?naam=Jan%20%26%20Piet%3Fx%3D1%23frag&bsn=999993653",
            ExternalLink.Fill("https://zaken.example.nl/?naam={fullname}&bsn={bsn}", attributes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://zaken.example.nl/?email={email}")]
    [InlineData("{bsn}")]
    [InlineData("javascript:alert({bsn})")]
    public void No_template_a_missing_attribute_or_a_result_that_is_no_http_url_gives_no_link(string? template)
    {
        Assert.Null(ExternalLink.Fill(template, new Dictionary<string, string> { ["bsn"] = "999993653" }));
    }
}
