using System.Diagnostics;
using Pipeline.FaceGeometry;
using Pipeline.Media;

namespace Pipeline.Render.Onnx;

/// <summary>
/// The onnx backend's frame step for one chunk. Frames with a face are queued (their crop and mel window go straight
/// into the next batch slot) until a batch is full, a frame without a face arrives or the chunk ends; then one model
/// call draws them all and they leave in their original order. Frames are redrawn in place.
/// </summary>
public sealed class OnnxFrameDrawer
{
    private readonly Wav2LipModel _model;
    private readonly float[] _mel;
    private readonly Rational _rate;
    private readonly Wav2LipBatch _batch;
    private readonly FaceCropper _cropper;
    private readonly LowerFacePaste _paste;
    private readonly byte[][] _frames;
    private readonly int[] _indices;
    private readonly FaceBox[] _boxes;
    private readonly float[] _tracked;
    private int _count;

    /// <param name="tracked">The chunk's tracked landmarks, [frames, 136] pixels: the crop and the pasted region follow the real face.</param>
    /// <param name="rate">The video's frame clock: the mel window of frame i starts at int(i·80/fps).</param>
    public OnnxFrameDrawer(OnnxInputs inputs, float[] tracked, Rational rate, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        (_model, _mel, _tracked, _rate) = (inputs.Model, inputs.Mel, tracked, rate);
        var manifest = _model.Manifest;
        _batch = _model.NewBatch();
        _cropper = new FaceCropper(width, height, manifest.FaceSize, manifest.Bgr, (float)manifest.Scale);
        _paste = new LowerFacePaste(width, height, manifest);
        _frames = new byte[_batch.Capacity][];
        _indices = new int[_batch.Capacity];
        _boxes = new FaceBox[_batch.Capacity];
    }

    /// <summary>Frames held for the next batch (the caller's buffers).</summary>
    public int Pending => _count;

    public int BatchSize => _batch.Capacity;

    public Stopwatch Inference { get; } = new();

    public Stopwatch Compositing { get; } = new();

    public long FacesDrawn { get; private set; }

    /// <summary>Queues frame <paramref name="index"/> of the chunk (global frame <paramref name="globalFrame"/>); true when the batch is full.</summary>
    public bool Add(byte[] frame, int index, long globalFrame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_count == _batch.Capacity)
        {
            throw new InvalidOperationException("the batch is full: flush it first");
        }

        Compositing.Start();
        var landmarks = _tracked.AsSpan(index * Landmarks68.FloatCount, Landmarks68.FloatCount);
        var box = FaceBox.Around(landmarks, _model.Manifest.CropPadding);
        _cropper.Fill(frame, box, _batch.FaceSlot(_count));
        var m = _model.Manifest;
        MelWindows.Fill(_mel, m.MelBands, globalFrame, _rate.Numerator, _rate.Denominator, m.MelWindow, _batch.MelSlot(_count));
        (_frames[_count], _indices[_count], _boxes[_count]) = (frame, index, box);
        _count++;
        Compositing.Stop();
        return _count == _batch.Capacity;
    }

    /// <summary>Runs the model on the queued frames and redraws them; they are handed to <paramref name="done"/> in order.</summary>
    public async Task FlushAsync(Func<byte[], ValueTask> done)
    {
        ArgumentNullException.ThrowIfNull(done);
        if (_count == 0)
        {
            return;
        }

        Inference.Start();
        _model.Run(_batch, _count);
        Inference.Stop();
        for (var k = 0; k < _count; k++)
        {
            Compositing.Start();
            var landmarks = _tracked.AsSpan(_indices[k] * Landmarks68.FloatCount, Landmarks68.FloatCount);
            FacesDrawn += _paste.Apply(_frames[k], _boxes[k], _batch.OutputSlot(k), landmarks) ? 1 : 0;
            Compositing.Stop();
            await done(_frames[k]);
            _frames[k] = null!;
        }

        _count = 0;
    }

    /// <summary>A frame without a face: the next face starts its colour match afresh.</summary>
    public void Reset() => _paste.Reset();
}
