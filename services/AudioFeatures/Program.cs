using Pipeline.AudioFeatures;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("audio-features");
builder.AddPipelineBus(bus => bus.AddAudioFeaturesConsumers());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
