using IdContact.Desk.Video;
using IdContact.Hosting;

namespace IdContact.Desk.Tests;

/// <summary>The time a shown waiting-room lease has left, as the lists render it (data-lease-ms).</summary>
public class WaitingRoomLeaseTests
{
    private static readonly IdContactOptions Options = new();
    private static readonly DateTimeOffset Now = new(2030, 3, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = Options.Desk().Chat.PresenceLease;

    [Fact]
    public void A_lease_renewed_a_second_ago_has_the_rest_of_its_length_left()
    {
        Assert.Equal(Lease - TimeSpan.FromSeconds(1), WaitingRoom.LeaseLeft(Now.AddSeconds(-1), Now, Options));
        Assert.Equal(Lease.TotalMilliseconds - 1000, double.Parse(WaitingRoom.LeaseMs(WaitingRoom.LeaseLeft(Now.AddSeconds(-1), Now, Options))!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_lease_ends_exactly_at_its_length_and_a_lapsed_or_missing_one_is_no_lease()
    {
        Assert.Equal(TimeSpan.Zero, WaitingRoom.LeaseLeft(Now - Lease, Now, Options));
        Assert.Null(WaitingRoom.LeaseLeft(Now - Lease - TimeSpan.FromTicks(1), Now, Options));
        Assert.Null(WaitingRoom.LeaseLeft(null, Now, Options));
        Assert.Null(WaitingRoom.LeaseMs(null));
    }
}
