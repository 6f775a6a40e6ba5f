using Pipeline.Encoding;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("encoding");
builder.AddEncoding();
builder.AddPipelineBus(bus => bus.AddEncodingConsumers());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
