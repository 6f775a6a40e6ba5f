using Npgsql;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests;

/// <summary>A fresh, uniquely named database on the test PostgreSQL server, dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Skips the test (fails it under CI) when the server is not running.</summary>
    public static async Task<PostgresDatabase> CreateAsync()
    {
        TestServers.RequirePostgres();
        var database = new PostgresDatabase($"pipeline_test_{Guid.NewGuid():N}");
        await database.AdminAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections of the test's contexts would keep the database busy; FORCE ends any that remain.
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
