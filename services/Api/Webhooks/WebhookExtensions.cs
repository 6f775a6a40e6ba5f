using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Pipeline.Api.Webhooks;

public static class WebhookExtensions
{
    /// <summary>The outbox (written with each job's terminal transition) and the dispatcher that sends it.</summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        builder.Services.AddSingleton<IInterceptor, WebhookOutbox>();

        // A receiver's redirect is not followed: the signed body goes only where the tenant registered.
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
