namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>
/// HeadAudio over a whole clip that arrives window by window: one front end runs across every window (its VAD gate
/// and filters never restart), and each hop's posterior goes to whichever open window grids it overlaps. The front
/// end lags its input by a block, so a window's grid is complete only once the hops after its end have come out;
/// <see cref="Feed"/> says which grids are. The result equals one pass over the whole file.
/// </summary>
public sealed class HeadAudioVisemeStream : IHeadAudioFeatureSink
{
    private const double HalfHop = HeadAudioFrontEnd.Hop / 2.0 / HeadAudioMfcc.SampleRate;
    private const double BlockCentre = HeadAudioMfcc.N / 2.0 / HeadAudioMfcc.SampleRate;

    private readonly HeadAudioFrontEnd _frontEnd;
    private readonly HeadAudioClassifier _classifier;
    private readonly double _temperature;
    private readonly float[] _posterior = new float[Visemes.Count];
    private readonly float[] _silence = new float[Visemes.Count];
    private readonly List<VisemePosteriors> _open = [];
    private double _emittedUntil = double.NegativeInfinity;

    public HeadAudioVisemeStream(HeadAudioModel model, ContentEncoderOptions options, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(options);
        _frontEnd = new HeadAudioFrontEnd(sampleRate, options.HeadAudioSpeakerMeanHz);
        _classifier = new HeadAudioClassifier(model, options.HeadAudioSilSensitivity);
        _temperature = options.HeadAudioTemperature;
        _silence[Visemes.Sil] = 1;
    }

    public long Hops { get; private set; }

    public long ActiveHops { get; private set; }

    /// <summary>Feeds the samples of the window <paramref name="grid"/> covers; returns the grids now complete, in order.</summary>
    public IReadOnlyList<VisemePosteriors> Feed(ReadOnlySpan<float> samples, VisemePosteriors grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        _open.Add(grid);
        _frontEnd.Process(samples, this);
        var done = _open.TakeWhile(g => g.Clock.StartOf(g.FirstFrame + g.Frames) <= _emittedUntil).ToList();
        _open.RemoveRange(0, done.Count);
        return done;
    }

    /// <summary>The end of the clip: every open grid is as complete as it will get.</summary>
    public IReadOnlyList<VisemePosteriors> Finish()
    {
        var done = _open.ToList();
        _open.Clear();
        return done;
    }

    void IHeadAudioFeatureSink.OnFeature(double endSeconds, ReadOnlySpan<float> vector, double logEnergy, bool active)
    {
        Hops++;
        var centre = endSeconds - BlockCentre;
        ReadOnlySpan<float> distribution = _silence;
        if (active)
        {
            ActiveHops++;
            _classifier.Posterior(vector, _temperature, _posterior);
            distribution = _posterior;
        }

        foreach (var grid in _open)
        {
            grid.AddSpan(centre - HalfHop, centre + HalfHop, distribution);
        }

        // Later hops start later still: nothing before this one's start can change any more.
        _emittedUntil = centre - HalfHop;
    }
}
