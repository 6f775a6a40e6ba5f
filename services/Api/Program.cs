using Pipeline.Api;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("api");
builder.AddJobOrchestration();
builder.AddPipelineBus(bus => bus.AddOrchestrationConsumers());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
