using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;

namespace IdContact.Desk.Tests;

/// <summary>Which cards of the overview announce an arrival (data-alert, told by desk-alerts.js).</summary>
public class ContactAlertsTests
{
    private static readonly DateTimeOffset Since = DateTimeOffset.UnixEpoch;

    private static ContactView Contact(string channel, ContactState state, bool mine = false, string? takenBy = null, string? onlyFor = null, TimeSpan? lease = null, bool over = false, WebCodeView? byCode = null) =>
        new("id", channel, "Verhuizing", state, [], false, null, false, null, false, takenBy, Since, mine, byCode, onlyFor, lease, over);

    [Fact]
    public void A_caller_the_exchange_queued_is_a_call_but_not_one_not_yet_called_taken_or_identified_on_the_web()
    {
        Assert.Equal("call", ContactAlerts.Of(Contact(Channels.Phone, ContactState.Queued), chatAvailable: false));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Phone, ContactState.Waiting), chatAvailable: true));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Phone, ContactState.Active, mine: true, takenBy: "Mel"), chatAvailable: true));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Phone, ContactState.Queued, byCode: new WebCodeView(null, null, "", true)), chatAvailable: true));
    }

    [Fact]
    public void A_queued_chat_counts_only_for_an_available_agent_and_a_chat_given_to_the_agent_always()
    {
        Assert.Equal("chat", ContactAlerts.Of(Contact(Channels.Chat, ContactState.Queued), chatAvailable: true));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Chat, ContactState.Queued), chatAvailable: false));
        Assert.Equal("assigned", ContactAlerts.Of(Contact(Channels.Chat, ContactState.Active, mine: true, takenBy: "Mel"), chatAvailable: false));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Chat, ContactState.Active, takenBy: "Bert", onlyFor: "Bert"), chatAvailable: true));
    }

    [Fact]
    public void A_resident_in_the_waiting_room_counts_for_the_planned_agent_or_an_unplanned_call_only()
    {
        var lease = TimeSpan.FromSeconds(30);
        Assert.Equal("video", ContactAlerts.Of(Contact(Channels.Video, ContactState.Queued, mine: true, takenBy: "Mel", lease: lease), chatAvailable: false));
        Assert.Equal("video", ContactAlerts.Of(Contact(Channels.Video, ContactState.Waiting, lease: lease), chatAvailable: false));
        // A colleague's appointment, a resident not (or no longer) in the waiting room, a call under way, one that is over.
        Assert.Null(ContactAlerts.Of(Contact(Channels.Video, ContactState.Queued, takenBy: "Bert", onlyFor: "Bert", lease: lease), chatAvailable: true));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Video, ContactState.Queued, mine: true, takenBy: "Mel"), chatAvailable: true));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Video, ContactState.Active, mine: true, takenBy: "Mel", lease: lease), chatAvailable: true));
        Assert.Null(ContactAlerts.Of(Contact(Channels.Video, ContactState.Queued, mine: true, takenBy: "Mel", lease: lease, over: true), chatAvailable: true));
    }
}
