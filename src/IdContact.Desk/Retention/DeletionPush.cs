using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Desk.Video;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Retention;

/// <summary>A contact retention deleted: its id, and where open pages of it may be (never an attribute value).</summary>
public sealed record DeletedContact(string Id, string Channel, string? AgentId);

/// <summary>
/// Tells the open pages of one tenant which contacts retention just deleted (M3, P11), over the same backplane (and
/// fallback) as every other push: the agents' overview drops the rows and says why, the agent's and the resident's chat
/// pages and the video pages close the conversation. Ids only; a page on an instance the push cannot reach finds the
/// contact gone at its next catch-up.
/// </summary>
public sealed class DeletionPush(IHubContext<ContactsHub> overview, ChatEvents chats, VideoCall video, ILogger<DeletionPush> logger)
{
    /// <summary>To the tenant's overview pages, with the deleted ids.</summary>
    public const string DeletedMessage = "contactsDeleted";

    /// <summary>To a deleted video contact's call pages (both sides).</summary>
    public const string DeletedVideoMessage = "deleted";

    public async Task DeletedAsync(string tenant, IReadOnlyList<DeletedContact> contacts)
    {
        if (contacts.Count == 0)
        {
            return;
        }

        try
        {
            await overview.Clients.Group(ContactsHub.Group(tenant)).SendAsync(DeletedMessage, contacts.Select(c => c.Id).ToArray());
        }
        catch (Exception e)
        {
            // The overview also refreshes on its timer and on reconnect.
            logger.LogWarning("Could not tell the agents of tenant {Tenant} about deleted contacts: {Error}", tenant, e.GetType().Name);
        }

        foreach (var contact in contacts)
        {
            if (contact.Channel == Channels.Chat)
            {
                await chats.DeletedAsync(tenant, contact.Id, contact.AgentId);
            }
            else if (contact.Channel == Channels.Video)
            {
                // "deleted", not "ended": the pages say the conversation ended and was deleted, as the chat pages do.
                await video.TellAsync(tenant, contact.Id, toResident: true, DeletedVideoMessage);
                await video.TellAsync(tenant, contact.Id, toResident: false, DeletedVideoMessage);
            }
        }
    }
}
