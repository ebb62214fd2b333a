using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IdContact.Desk.Tests;

/// <summary>
/// Counts the SQL commands EF Core sends from the awaited flow of <see cref="CountAsync{T}"/> only, and keeps their text:
/// issue 12 counts database round trips per flow.
/// </summary>
internal sealed class StatementCounter : IDisposable
{
    private readonly AsyncLocal<List<string>?> _counting = new();
    private readonly List<IDisposable> _subscriptions = [];

    public StatementCounter() =>
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                    {
                        if (e.Key == RelationalEventId.CommandExecuted.Name && _counting.Value is { } texts && e.Value is CommandExecutedEventData executed)
                        {
                            lock (texts)
                            {
                                texts.Add(executed.Command.CommandText);
                            }
                        }
                    })));
                }
            }
        })));

    public async Task<(T Result, int Statements)> CountAsync<T>(Func<Task<T>> action)
    {
        var (result, texts) = await RecordAsync(action);
        return (result, texts.Count);
    }

    /// <summary>The result and the text of each statement sent on its way.</summary>
    public async Task<(T Result, IReadOnlyList<string> Statements)> RecordAsync<T>(Func<Task<T>> action)
    {
        var texts = new List<string>();
        _counting.Value = texts; // flows into the awaited calls only, not into other tests' requests
        try
        {
            return (await action(), texts);
        }
        finally
        {
            _counting.Value = null;
        }
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnNext(T value) => next(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
