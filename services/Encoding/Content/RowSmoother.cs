using Pipeline.Features;

namespace Pipeline.Encoding.Content;

/// <summary>
/// The [w, 1-2w, w] temporal smoothing and row normalisation of <see cref="VisemePosteriors.Finish"/>, applied to a
/// stream of rows so a clip encoded window by window comes out as if it had been one grid: each row is held until its
/// successor arrives. Memory is three rows.
/// </summary>
public sealed class RowSmoother
{
    private readonly NpyWriter _writer;
    private readonly float _side;
    private readonly float _centre;
    private readonly float[] _previous = new float[Visemes.Count];
    private readonly float[] _current = new float[Visemes.Count];
    private readonly float[] _output = new float[Visemes.Count];
    private bool _hasCurrent;
    private bool _hasPrevious;

    public RowSmoother(NpyWriter writer, float smoothing)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _side = smoothing > 0 ? Math.Clamp(smoothing, 0f, 1f / 3f) : 0f;
        _centre = 1f - (2 * _side);
    }

    public long RowsWritten { get; private set; }

    /// <summary>Adds the rows of a window whose gaps are closed (<see cref="VisemePosteriors.CloseGapsOnly"/>).</summary>
    public void Push(VisemePosteriors window)
    {
        ArgumentNullException.ThrowIfNull(window);
        for (var f = 0; f < window.Frames; f++)
        {
            Push(window.Data.AsSpan(f * Visemes.Count, Visemes.Count));
        }
    }

    public void Push(ReadOnlySpan<float> row)
    {
        if (_hasCurrent)
        {
            Emit(row);
            _current.CopyTo(_previous);
            _hasPrevious = true;
        }

        row.CopyTo(_current);
        _hasCurrent = true;
    }

    /// <summary>Writes the held last row (its missing successor counts as itself, as at a grid's end).</summary>
    public void Complete()
    {
        if (_hasCurrent)
        {
            Emit(_current);
            _hasCurrent = false;
        }
    }

    private void Emit(ReadOnlySpan<float> next)
    {
        ReadOnlySpan<float> previous = _hasPrevious ? _previous : _current;
        for (var v = 0; v < Visemes.Count; v++)
        {
            _output[v] = (_side * previous[v]) + (_centre * _current[v]) + (_side * next[v]);
        }

        VisemePosteriors.Normalise(_output);
        _writer.Write(_output);
        RowsWritten++;
    }
}
