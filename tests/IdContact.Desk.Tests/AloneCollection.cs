namespace IdContact.Desk.Tests;

/// <summary>
/// Tests that must not run beside the others: every test server on the test PostgreSQL shares the installation
/// database, and the retention tests sweep it with a clock days ahead, which forgets every claim in it — including
/// those a test is about to count. Such a test runs in this collection, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Runs alone (shared installation database)";
}
