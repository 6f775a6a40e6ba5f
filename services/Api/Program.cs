using Pipeline.Api;
using Pipeline.Api.Dashboard;
using Pipeline.Api.Http;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("api");
builder.AddJobOrchestration();
builder.AddHttpApi();
builder.AddPipelineBus(bus => bus.AddOrchestrationConsumers());

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapHttpApi();
app.MapDashboard();

app.Run();
