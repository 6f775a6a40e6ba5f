using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Pipeline.Api.Orchestration;

/// <summary>
/// How the orchestration consumers retry. Two kinds of failure need opposite policies: a conflict (another replica
/// changed the job first) is resolved by re-reading at once, while a lost database (PostgreSQL restarting, a
/// failover) needs the consumer to wait it out, for longer than a restart takes, instead of parking the event in
/// an error queue where its job would wait for ever.
/// </summary>
internal static class OrchestrationRetry
{
    /// <summary>Waits between tries while the database is unreachable: about a minute in all.</summary>
    public static readonly int[] OutageIntervalsMs = [200, 1000, 2000, 5000, 10000, 15000, 30000];

    public static void Configure(IReceiveEndpointConfigurator endpoint)
    {
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(IsOutage);
            r.Intervals(OutageIntervalsMs);
        });

        // Inside the outage policy, so each of its tries gets its own round of quick conflict retries.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(IsConflict);

            // Immediately a few times (the winner has committed), then briefly apart in case several replicas contend.
            r.Intervals(0, 0, 0, 10, 50, 100, 250, 500);
        });
    }

    /// <summary>Another writer got there first: the version check failed, or a row it inserted now exists.</summary>
    public static bool IsConflict(Exception e) =>
        e is DbUpdateConcurrencyException
        || (e is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } })
        || (e is DbUpdateException { InnerException: SqliteException { SqliteExtendedErrorCode: 1555 or 2067 } }); // PK, UNIQUE

    /// <summary>The database could not be reached or did not answer; trying later may succeed.</summary>
    public static bool IsOutage(Exception e) =>
        !IsConflict(e) && e switch
        {
            // A PostgresException is the server answering: only its transient codes (shutting down, too many
            // connections) are worth waiting for; a network-level NpgsqlException always is.
            PostgresException pg => pg.IsTransient,
            NpgsqlException => true,
            TimeoutException => true,

            // EF's own retries on transient faults ran out while the outage went on.
            RetryLimitExceededException => true,
            DbUpdateException => true,
            SqliteException { SqliteErrorCode: 5 or 6 } => true, // SQLITE_BUSY, SQLITE_LOCKED
            _ => e.InnerException is { } inner && IsOutage(inner),
        };
}
