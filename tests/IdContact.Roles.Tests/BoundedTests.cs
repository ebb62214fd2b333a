namespace IdContact.Roles.Tests;

/// <summary>The bound on waits that could hang a test host: it names what hung, and lets everything else through.</summary>
public class BoundedTests
{
    [Fact]
    public async Task A_wait_that_never_ends_fails_naming_what_hung()
    {
        var never = new TaskCompletionSource().Task;

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Bounded.WithinAsync(never, TimeSpan.FromMilliseconds(50), "closing the agent's page"));
        Assert.Contains("closing the agent's page", e.Message);
        var typed = await Assert.ThrowsAsync<TimeoutException>(() => Bounded.WithinAsync(new TaskCompletionSource<int>().Task, TimeSpan.FromMilliseconds(50), "opening a page"));
        Assert.Contains("opening a page", typed.Message);
    }

    [Fact]
    public async Task A_finished_wait_passes_through_with_its_result_or_its_own_exception()
    {
        await Bounded.WithinAsync(Task.CompletedTask, "nothing");
        Assert.Equal(42, await Bounded.WithinAsync(Task.FromResult(42), "an answer"));

        // The task's own timeout is its own, not taken for a hang of the bound.
        var own = await Assert.ThrowsAsync<TimeoutException>(() => Bounded.WithinAsync(Task.FromException(new TimeoutException("Redis")), "a call"));
        Assert.Equal("Redis", own.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Bounded.WithinAsync(Task.FromException<int>(new InvalidOperationException()), "a call"));
    }
}
