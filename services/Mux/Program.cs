using Pipeline.Mux;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("mux");
builder.AddPipelineBus(bus => bus.AddMuxConsumers());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
