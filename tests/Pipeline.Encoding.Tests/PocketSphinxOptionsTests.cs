using Pipeline.Encoding.Content.PocketSphinx;

namespace Pipeline.Encoding.Tests;

public sealed class PocketSphinxOptionsTests
{
    [Fact]
    public void The_defaults_search_triphones_with_a_wider_phone_beam()
    {
        var settings = new PocketSphinxOptions().SearchSettings();

        Assert.StartsWith("allphone_ci=no beam=1e-10 pbeam=1e-9 lm=", settings);
    }

    [Fact]
    public void Every_setting_that_changes_the_phones_changes_the_search_settings()
    {
        var defaults = new PocketSphinxOptions().SearchSettings();
        var variants = new[]
        {
            new PocketSphinxOptions { ContextIndependent = true },
            new PocketSphinxOptions { Beam = 1e-20 },
            new PocketSphinxOptions { PhoneBeam = 1e-10 },
            new PocketSphinxOptions { PhoneLanguageModel = "/elsewhere/phone.lm.bin" },
        }.Select(o => o.SearchSettings()).ToList();

        Assert.All(variants, v => Assert.NotEqual(defaults, v));
        Assert.Equal(variants.Count, variants.Distinct().Count());
    }

    [Fact]
    public void Settings_that_only_bound_the_run_do_not()
    {
        var slower = new PocketSphinxOptions { BaseTimeout = TimeSpan.FromMinutes(5), TimeoutSecondsPerAudioSecond = 30, ExecutablePath = "/opt/bin/pocketsphinx_continuous" };

        Assert.Equal(new PocketSphinxOptions().SearchSettings(), slower.SearchSettings());
    }
}
