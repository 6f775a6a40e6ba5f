using System.Net.Sockets;
using Xunit;

namespace Pipeline.TestSupport;

/// <summary>
/// The real servers integration tests run against (infra/servers.sh start): RabbitMQ, PostgreSQL and Swift's S3
/// layer on 127.0.0.1. A test that needs one calls its Require method: when the server does not answer, the test
/// skips, except under CI=true, where .ci/run has started them and a missing server must fail the run.
/// Addresses come from PIPELINE_TEST_AMQP_PORT, PIPELINE_TEST_PG and PIPELINE_TEST_S3_URL where set.
/// </summary>
public static class TestServers
{
    public static int AmqpPort { get; } = int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_TEST_AMQP_PORT"), out var p) ? p : 5672;

    /// <summary>Connection string of the server's maintenance database; tests create their own databases.</summary>
    public static string PostgresAdmin { get; } =
        Environment.GetEnvironmentVariable("PIPELINE_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public static Uri S3Url { get; } = new(Environment.GetEnvironmentVariable("PIPELINE_TEST_S3_URL") ?? "http://127.0.0.1:18090");

    public const string S3AccessKey = "test:tester";

    public const string S3SecretKey = "testing";

    public static void RequireRabbitMq() => Require("RabbitMQ", "127.0.0.1", AmqpPort);

    public static void RequirePostgres()
    {
        var port = 55432;
        foreach (var part in PostgresAdmin.Split(';'))
        {
            if (part.StartsWith("Port=", StringComparison.OrdinalIgnoreCase))
            {
                port = int.Parse(part[5..]);
            }
        }

        Require("PostgreSQL", "127.0.0.1", port);
    }

    public static void RequireS3() => Require("S3 (Swift)", S3Url.Host, S3Url.Port);

    public static void RequireAll()
    {
        RequireRabbitMq();
        RequirePostgres();
        RequireS3();
    }

    private static void Require(string name, string host, int port)
    {
        if (Answers(host, port))
        {
            return;
        }

        var message = $"{name} does not answer on {host}:{port}: start the servers with `infra/servers.sh start`";
        if (TestData.IsCi)
        {
            throw new InvalidOperationException(message);
        }

        Assert.Skip(message);
    }

    private static bool Answers(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
