namespace Pipeline.TestSupport.Onnx;

/// <summary>
/// Builds a small ONNX model (opset 13) node by node and writes its ModelProto bytes. Field numbers are onnx.proto's:
/// ModelProto ir_version 1, producer_name 2, graph 7, opset_import 8; GraphProto node 1, name 2, initializer 5,
/// input 11, output 12; NodeProto input 1, output 2, name 3, op_type 4, attribute 5; TensorProto dims 1, data_type 2,
/// float_data 4, name 8; AttributeProto name 1, f 2, i 3, ints 8, type 20.
/// </summary>
public sealed class OnnxGraph
{
    private const int FloatType = 1;
    private readonly ProtoWriter _graph = new ProtoWriter().String(2, "test");
    private int _nodes;

    /// <param name="dims">Dimensions; null is a symbolic one ("B").</param>
    public OnnxGraph Input(string name, params long?[] dims)
    {
        _graph.Message(11, ValueInfo(name, dims));
        return this;
    }

    public OnnxGraph Output(string name, params long?[] dims)
    {
        _graph.Message(12, ValueInfo(name, dims));
        return this;
    }

    public OnnxGraph Initializer(string name, float[] values, params long[] dims)
    {
        var tensor = new ProtoWriter();
        foreach (var d in dims)
        {
            tensor.Int(1, d);
        }

        tensor.Int(2, FloatType).PackedFloats(4, values).String(8, name);
        _graph.Message(5, tensor);
        return this;
    }

    /// <param name="attributes">Name to value: a long, a float, or a long[] (ints).</param>
    public OnnxGraph Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var i in inputs)
        {
            node.String(1, i);
        }

        foreach (var o in outputs)
        {
            node.String(2, o);
        }

        node.String(3, $"n{_nodes++}").String(4, op);
        foreach (var (name, value) in attributes)
        {
            var a = new ProtoWriter().String(1, name);
            switch (value)
            {
                case float f: a.Float(2, f).Int(20, 1); break;
                case long l: a.Int(3, l).Int(20, 2); break;
                case int l: a.Int(3, l).Int(20, 2); break;
                case long[] ints:
                    foreach (var v in ints)
                    {
                        a.Int(8, v);
                    }

                    a.Int(20, 7);
                    break;
                default: throw new ArgumentException($"attribute {name}: unsupported {value.GetType().Name}");
            }

            node.Message(5, a);
        }

        _graph.Message(1, node);
        return this;
    }

    public byte[] ToBytes() =>
        new ProtoWriter()
            .Int(1, 8)
            .String(2, "pipeline-tests")
            .Message(7, _graph)
            .Message(8, new ProtoWriter().String(1, string.Empty).Int(2, 13))
            .ToArray();

    private static ProtoWriter ValueInfo(string name, long?[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
        {
            shape.Message(1, d is { } v ? new ProtoWriter().Int(1, v) : new ProtoWriter().String(2, "B"));
        }

        var tensor = new ProtoWriter().Int(1, FloatType).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensor));
    }
}
