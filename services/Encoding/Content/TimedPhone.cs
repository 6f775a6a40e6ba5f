namespace Pipeline.Encoding.Content;

/// <summary>One recognised phone and the span of audio it covers, [Start, End) in seconds.</summary>
public readonly record struct TimedPhone(string Phone, double StartSeconds, double EndSeconds, double Probability);
