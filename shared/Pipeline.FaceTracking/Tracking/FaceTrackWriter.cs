using Pipeline.Features;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>Streams face-track rows into the artifact's .npy files (headers are finalised on dispose).</summary>
public sealed class FaceTrackWriter : IDisposable
{
    private readonly NpyWriter _present;
    private readonly NpyWriter _faceId;
    private readonly NpyWriter _boxes;
    private readonly NpyWriter _landmarks;
    private readonly NpyWriter _raw;
    private readonly NpyWriter _pose;
    private readonly NpyWriter _similarity;
    private readonly NpyWriter _confidence;
    private readonly byte[] _presentRow;
    private readonly int[] _idRow;
    private readonly float[] _boxRow;
    private readonly float[] _landmarkRow;
    private readonly float[] _rawRow;
    private readonly float[] _poseRow;
    private readonly float[] _similarityRow;
    private readonly float[] _confidenceRow;

    public FaceTrackWriter(string folder, int slots)
    {
        Directory.CreateDirectory(folder);
        Slots = slots;
        _present = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.Present), NpyDType.UInt8, slots);
        _faceId = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.FaceId), NpyDType.Int32, slots);
        _boxes = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.Boxes), NpyDType.Float32, slots, 4);
        _landmarks = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.Landmarks), NpyDType.Float32, slots, 68, 2);
        _raw = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.LandmarksRaw), NpyDType.Float32, slots, 68, 2);
        _pose = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.Pose), NpyDType.Float32, slots, 6);
        _similarity = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.Similarity), NpyDType.Float32, slots, 4);
        _confidence = NpyWriter.Create(Path.Combine(folder, FaceTrackFiles.Confidence), NpyDType.Float32, slots);
        _presentRow = new byte[slots];
        _idRow = new int[slots];
        _boxRow = new float[slots * 4];
        _landmarkRow = new float[slots * 136];
        _rawRow = new float[slots * 136];
        _poseRow = new float[slots * 6];
        _similarityRow = new float[slots * 4];
        _confidenceRow = new float[slots];
    }

    public int Slots { get; }

    public long Rows { get; private set; }

    /// <summary>The row being filled; call <see cref="Clear"/> first, fill slots, then <see cref="Commit"/>.</summary>
    public void Clear()
    {
        Array.Clear(_presentRow);
        Array.Fill(_idRow, -1);
        Array.Fill(_boxRow, float.NaN);
        Array.Fill(_landmarkRow, float.NaN);
        Array.Fill(_rawRow, float.NaN);
        Array.Fill(_poseRow, float.NaN);
        Array.Fill(_similarityRow, float.NaN);
        Array.Clear(_confidenceRow);
    }

    public void SetSlot(int slot, int faceId, FaceBox box, ReadOnlySpan<float> smoothed, ReadOnlySpan<float> raw, ReadOnlySpan<float> pose6, ReadOnlySpan<float> similarity4, float confidence)
    {
        _presentRow[slot] = 1;
        _idRow[slot] = faceId;
        _boxRow[slot * 4] = box.Left;
        _boxRow[(slot * 4) + 1] = box.Top;
        _boxRow[(slot * 4) + 2] = box.Right;
        _boxRow[(slot * 4) + 3] = box.Bottom;
        smoothed.CopyTo(_landmarkRow.AsSpan(slot * 136, 136));
        raw.CopyTo(_rawRow.AsSpan(slot * 136, 136));
        pose6.CopyTo(_poseRow.AsSpan(slot * 6, 6));
        similarity4.CopyTo(_similarityRow.AsSpan(slot * 4, 4));
        _confidenceRow[slot] = confidence;
    }

    public void Commit()
    {
        _present.Write(_presentRow);
        _faceId.Write(_idRow);
        _boxes.Write(_boxRow);
        _landmarks.Write(_landmarkRow);
        _raw.Write(_rawRow);
        _pose.Write(_poseRow);
        _similarity.Write(_similarityRow);
        _confidence.Write(_confidenceRow);
        Rows++;
    }

    public void Dispose()
    {
        _present.Dispose();
        _faceId.Dispose();
        _boxes.Dispose();
        _landmarks.Dispose();
        _raw.Dispose();
        _pose.Dispose();
        _similarity.Dispose();
        _confidence.Dispose();
    }
}
