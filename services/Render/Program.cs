using Pipeline.Render;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("render");
builder.AddRender();
builder.AddPipelineBus(bus => bus.AddRenderConsumers());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
