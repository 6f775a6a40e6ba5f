using System.Text.RegularExpressions;
using Pipeline.ServiceDefaults;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Deployment;

/// <summary>
/// charts/pipeline and docker-compose.yml, checked without a cluster or a container engine: rendered by helm, and
/// read for what the services need (the GPU pool apart, health probes, the settings each service reads).
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string[] Trial = ["--set", "secrets.postgresPassword=p", "--set", "secrets.s3AccessKey=a", "--set", "secrets.s3SecretKey=s"];

    [Fact]
    public void The_validation_script_passes()
    {
        RequireTools();
        var output = Tool.Run("bash", Path.Combine(Repository.Root, "infra", "deploy", "validate.sh"));

        Assert.Contains("helm lint --strict charts/pipeline: ok", output);
        Assert.Contains("docker-compose config: ok", output);
    }

    [Fact]
    public void Every_service_has_a_deployment_and_a_compose_service()
    {
        RequireTools();
        var documents = Render(Trial);
        var compose = File.ReadAllText(Path.Combine(Repository.Root, "docker-compose.yml"));
        var services = Directory.GetDirectories(Path.Combine(Repository.Root, "services"))
            .Select(Path.GetFileName).Where(s => s != "Cli").Select(s => KebabCase(s!)).ToList();

        Assert.Equal(6, services.Count);
        foreach (var service in services)
        {
            Assert.Single(documents, d => d.Contains("\nkind: Deployment\n") && d.Contains($"name: t-pipeline-{service}\n"));
            Assert.Contains($"\n  {service}:\n", compose);
            Assert.Contains($"SERVICE: {PascalCase(service)} }}", compose);
        }
    }

    [Fact]
    public void Render_workers_are_a_gpu_pool_of_their_own()
    {
        RequireTools();
        var documents = Render(Trial);
        var render = Deployment(documents, "render");
        var others = documents.Where(d => d.Contains("\nkind: Deployment\n") && !d.Contains("name: t-pipeline-render\n")).ToList();

        Assert.Contains("nvidia.com/gpu: 1", render);
        Assert.Contains("image: pipeline-render-gpu:", render);
        Assert.Contains("key: nvidia.com/gpu", render); // tolerates the GPU nodes' taint
        Assert.All(others, d => Assert.DoesNotContain("nvidia.com/gpu", d));

        var cpuOnly = Deployment(Render([.. Trial, "--set", "render.gpu.enabled=false"]), "render");
        Assert.DoesNotContain("nvidia.com/gpu:", cpuOnly);
        Assert.Contains("image: pipeline-render:", cpuOnly);
    }

    [Fact]
    public void Keda_scales_render_on_the_queue_the_render_worker_reads()
    {
        RequireTools();
        var documents = Render([.. Trial, "--set", "render.keda.enabled=true"]);

        var scaled = Assert.Single(documents, d => d.Contains("\nkind: ScaledObject\n"));
        Assert.Contains($"queueName: {StageEndpoints.RenderChunk}\n", scaled);
        Assert.DoesNotContain(documents, d => d.Contains("\nkind: HorizontalPodAutoscaler\n") && d.Contains("name: t-pipeline-render\n"));
    }

    [Fact]
    public void Every_service_is_probed_on_its_health_endpoints_and_reads_the_bus_and_the_store()
    {
        RequireTools();
        var deployments = Render(Trial).Where(d => d.Contains("\nkind: Deployment\n")).ToList();

        Assert.Equal(6, deployments.Count);
        foreach (var d in deployments)
        {
            Assert.Contains("path: /health/live", d);
            Assert.Contains("path: /health/ready", d);
            Assert.Contains("name: Bus__Transport\n              value: RabbitMq", d);
            Assert.Contains("name: ObjectStore__Kind\n              value: s3", d);
        }

        // Only the Api keeps job state (and migrates the database on start).
        Assert.Single(deployments, d => d.Contains("JobStore__ConnectionString"));
        Assert.Contains("JobStore__ConnectionString", Deployment(deployments, "api"));
    }

    [Fact]
    public void Without_a_password_or_a_secret_of_the_user_s_the_chart_refuses_to_render()
    {
        RequireTools();
        var e = Assert.Throws<InvalidOperationException>(() => Render([]));

        Assert.Contains("secrets.postgresPassword (or existingSecret) is required", e.Message);
        Assert.DoesNotContain(Render(["--set", "existingSecret=mine"]), d => d.Contains("\nkind: Secret\n"));
    }

    private static List<string> Render(string[] settings) =>
        Tool.Run(Helm, ["template", "t", Path.Combine(Repository.Root, "charts", "pipeline"), .. settings])
            .Split("\n---", StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string Deployment(IEnumerable<string> documents, string component) =>
        Assert.Single(documents, d => d.Contains("\nkind: Deployment\n") && d.Contains($"name: t-pipeline-{component}\n"));

    private static string Helm =>
        Environment.GetEnvironmentVariable("HELM") is { Length: > 0 } configured ? configured : Path.Combine(Repository.Root, ".tools", "helm", "helm");

    // helm (infra/fetch-helm.sh), yamllint and docker-compose (Debian): infra/install-deps.sh installs all three.
    private static void RequireTools()
    {
        var missing = new[] { Helm, "/usr/bin/yamllint", "/usr/bin/docker-compose" }.Where(t => !File.Exists(t)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var message = $"{string.Join(", ", missing)} missing (infra/install-deps.sh installs them)";
        if (TestData.IsCi)
        {
            throw new InvalidOperationException(message);
        }

        Assert.Skip(message);
    }

    private static string KebabCase(string name) => Capital().Replace(name, "-$1").ToLowerInvariant();

    private static string PascalCase(string kebab) => string.Concat(kebab.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Capital();
}
