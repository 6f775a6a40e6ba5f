using Spectre.Console;

namespace Pipeline.Cli.Embedded;

/// <summary>
/// How a long command shows progress: a live bar on a terminal; nothing when output goes to a file or a pipe
/// (scripts read the result and the exit code; --verbose logs each stage) or with --json.
/// </summary>
public interface IProgressView
{
    void Update(string stage, double fraction);
}

public static class ProgressViews
{
    /// <summary>Runs <paramref name="work"/> with the view that suits where output goes.</summary>
    public static async Task<T> RunAsync<T>(string title, bool json, Func<IProgressView, Task<T>> work)
    {
        if (json || Console.IsOutputRedirected || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await work(new SilentView());
        }

        return await AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 1.0);
                var result = await work(new BarView(task, title));
                task.Value = 1.0;
                return result;
            });
    }

    private sealed class SilentView : IProgressView
    {
        public void Update(string stage, double fraction)
        {
        }
    }

    private sealed class BarView(ProgressTask task, string title) : IProgressView
    {
        public void Update(string stage, double fraction)
        {
            task.Description = Markup.Escape($"{title}: {stage}");
            task.Value = Math.Clamp(fraction, 0, 1);
        }
    }
}
