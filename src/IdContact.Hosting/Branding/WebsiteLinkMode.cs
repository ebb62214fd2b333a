namespace IdContact.Hosting;

/// <summary>Whether a resident page's layout ends with the link back to the municipality's website.</summary>
public enum WebsiteLinkMode
{
    /// <summary>The resident's path goes on from here (a form, a live conversation without script end).</summary>
    None,

    /// <summary>A page that ends the resident's path.</summary>
    Shown,

    /// <summary>A live page that ends by script (chat.js, video.js): rendered hidden, shown when it ends.</summary>
    WhenEnded,
}
