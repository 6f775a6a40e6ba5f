using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// A database's tables, columns (type, nullability, key), indexes and foreign keys as sorted text lines, read from
/// the database itself, so a schema built by the migrations can be compared with one built from the model.
/// Column order and defaults are left out: added columns go last, and NOT NULL additions need a default.
/// </summary>
public static class SchemaSnapshot
{
    public static async Task<List<string>> ReadAsync(JobDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        try
        {
            var lines = db.Database.IsSqlite() ? await SqliteAsync(connection) : await PostgresAsync(connection);
            return lines.Where(l => !l.Contains("__EFMigrations", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<List<string>> SqliteAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0));
        foreach (var table in tables)
        {
            lines.AddRange(await QueryAsync(connection, $"PRAGMA table_info(\"{table}\")", r => $"{table}.{r.GetString(1)} {r.GetString(2)} notnull={r.GetInt64(3)} pk={r.GetInt64(5)}"));
            var indexes = await QueryAsync(connection, $"PRAGMA index_list(\"{table}\")", r => (Name: r.GetString(1), Unique: r.GetInt64(2)));
            foreach (var (name, unique) in indexes)
            {
                var columns = await QueryAsync(connection, $"PRAGMA index_info(\"{name}\")", r => r.GetString(2));
                lines.Add($"{table} index {name} unique={unique} ({string.Join(", ", columns)})");
            }

            lines.AddRange(await QueryAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")", r => $"{table} fk {r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}"));
        }

        return lines;
    }

    private static async Task<List<string>> PostgresAsync(DbConnection connection)
    {
        var lines = await QueryAsync(
            connection,
            """
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' nullable=' || is_nullable
            FROM information_schema.columns WHERE table_schema = 'public'
            """,
            r => r.GetString(0));
        lines.AddRange(await QueryAsync(connection, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'", r => r.GetString(0)));
        lines.AddRange(await QueryAsync(
            connection,
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
            r => r.GetString(0)));
        return lines;
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
