using Pipeline.Motion;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("motion");
builder.AddMotion();
builder.AddPipelineBus(bus => bus.AddMotionConsumers());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
