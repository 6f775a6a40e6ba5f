namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>
/// One Gaussian prototype of a HeadAudio model: the phoneme it was trained on, its group, its HeadAudio viseme id
/// (see <see cref="HeadAudioVisemes"/>), the mean MFCC vector and the packed lower triangle of the inverse covariance
/// (row by row: (0,0), (1,0), (1,1), (2,0), ...).
/// </summary>
public sealed record HeadAudioPrototype(string Phoneme, byte Group, byte Viseme, float[] Mu, float[] SigmaInvLower);
