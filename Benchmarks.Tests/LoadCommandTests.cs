using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Benchmarks.Tests;

/// <summary>The dashboard's commands, run as the dashboard runs them: through the AppHost's resource command service.</summary>
[Collection(ChainCollection.Name)]
public class LoadCommandTests(ChainApp chain)
{
    private static InteractionInputCollection Arguments(string duration, string concurrency, string warmup, string size = "10") => new(
    [
        new InteractionInput { Name = "duration", InputType = InputType.Number, Value = duration },
        new InteractionInput { Name = "concurrency", InputType = InputType.Number, Value = concurrency },
        new InteractionInput { Name = "size", InputType = InputType.Text, Value = size },
        new InteractionInput { Name = "rate", InputType = InputType.Number },
        new InteractionInput { Name = "warmup", InputType = InputType.Number, Value = warmup },
    ]);

    [Fact]
    public async Task Compare_reports_every_row_without_failures_with_reconciled_counts_and_cpu_for_all_six_services()
    {
        // Ten rows, each of which may wait up to 30 s for a quiet machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var commands = chain.App.Services.GetRequiredService<ResourceCommandService>();

        var compare = commands.ExecuteCommandAsync("loadgen", "load-compare", Arguments("2", "16", "1"), timeout.Token);
        // A second run while one is going is refused, and says why.
        await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
        var second = await commands.ExecuteCommandAsync("aggregator-rest", "load-rest", Arguments("1", "4", "0"), timeout.Token);
        Assert.False(second.Success);
        Assert.Contains("already going", second.Message);

        var result = await compare;
        Assert.True(result.Success, result.Message);
        Assert.Contains("| REST, JSON over HTTP/1.1", result.Data?.Value);
        Assert.Contains("| REST, protobuf over HTTP/2", result.Data?.Value);
        Assert.Contains("gRPC streaming edge", result.Data?.Value);

        var directory = result.Message![(result.Message!.IndexOf("Report: ", StringComparison.Ordinal) + "Report: ".Length)..].Trim();
        Assert.All(new[] { "report.md", "report.json", "report.html" }, f => Assert.True(File.Exists(Path.Combine(directory, f)), f));
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json"), timeout.Token));

        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        // Three ceilings, four REST wires, three gRPC rows.
        Assert.Equal(10, rows.Count);
        var measured = new HashSet<string>();
        foreach (var row in rows)
        {
            var run = row.GetProperty("run");
            var name = run.GetProperty("name").GetString();
            Assert.True(run.GetProperty("succeeded").GetInt64() > 0, name);
            Assert.Empty(run.GetProperty("errors").EnumerateObject());
            Assert.True(row.GetProperty("reconciliation").GetProperty("matches").GetBoolean(), row.GetProperty("reconciliation").GetProperty("detail").GetString());
            Assert.True(run.GetProperty("latency").GetProperty("p50Ms").GetDouble() > 0, name);
            Assert.True(row.GetProperty("loadGenerator").GetProperty("cpuMs").GetDouble() > 0, name);
            Assert.NotEmpty(row.GetProperty("cpuTimeline").EnumerateArray());
            // Every chain row is read against the ceiling of its shape, measured in the same run.
            var ceiling = name!.Contains("ceiling");
            Assert.Equal(ceiling, row.GetProperty("ofCeiling").ValueKind == JsonValueKind.Null);
            if (!ceiling) Assert.True(row.GetProperty("ofCeiling").GetDouble() > 0, name);
            // What else used the machine, and how long the row waited for it to be quiet (one reading of a second at least).
            Assert.True(row.GetProperty("others").GetProperty("percentOfCore").GetDouble() >= 0, name);
            Assert.InRange(row.GetProperty("quiet").GetProperty("seconds").GetDouble(), 0.9, 31);
            // Bytes on the wire down the chain (a ceiling's edge alone), both ways; each hop's server saw at least what its client sent and read.
            var hops = row.GetProperty("wire").EnumerateArray().ToList();
            Assert.Equal(ceiling ? ["load generator → aggregator"] : ["load generator → aggregator", "aggregator → processor", "processor → producer"],
                hops.Select(hop => hop.GetProperty("hop").GetString()));
            foreach (var hop in hops)
            {
                double Bytes(string figure) => hop.GetProperty(figure).GetDouble();
                Assert.True(Bytes("requestBytes") > 0 && Bytes("responseBytes") > 0, $"{name}: {hop}");
                Assert.True(Bytes("serverReadBytes") >= 0.95 * Bytes("requestBytes") && Bytes("serverWrittenBytes") >= 0.95 * Bytes("responseBytes"), $"{name}: {hop}");
            }
            foreach (var service in row.GetProperty("services").EnumerateArray())
            {
                Assert.True(service.GetProperty("cpuMs").GetDouble() > 0, $"{name}: {service.GetProperty("service")}");
                Assert.True(service.GetProperty("cpuMsPerRequest").GetDouble() > 0);
                measured.Add(service.GetProperty("service").GetString()!);
            }
        }
        Assert.Equal(ChainApp.Services.Order(), measured.Order());
        // The streaming edge is read against the bidi echo, not the unary no-op.
        double Rate(string row) => rows.Single(r => r.GetProperty("run").GetProperty("name").GetString() == row)
            .GetProperty("run").GetProperty("requestsPerSecond").GetDouble();
        var streaming = rows.Single(r => r.GetProperty("run").GetProperty("name").GetString() == "gRPC streaming edge, shared streams");
        Assert.Equal(Rate("gRPC streaming edge, shared streams") / Rate("gRPC streaming ceiling: one no-op bidi echo"), streaming.GetProperty("ofCeiling").GetDouble(), 6);
        Assert.Equal(Environment.ProcessorCount, report.RootElement.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.StartsWith("Same on all 6 services", report.RootElement.GetProperty("telemetry").GetString());
        Assert.Contains("at most 5 new traces a second per service", report.RootElement.GetProperty("telemetry").GetString());
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_a_message_saying_what_is_wrong()
    {
        var commands = chain.App.Services.GetRequiredService<ResourceCommandService>();

        // Aspire checks number inputs itself; the dashboard marks the field.
        var notANumber = await commands.ExecuteCommandAsync("aggregator-grpc", "load-grpc", Arguments("soon", "4", "0"), CancellationToken.None);
        // The load generator checks the rest, and its reason reaches the dashboard.
        var badSizes = await commands.ExecuteCommandAsync("aggregator-grpc", "load-grpc", Arguments("1", "4", "0", size: "10,lots"), CancellationToken.None);
        var tooLong = await commands.ExecuteCommandAsync("aggregator-grpc", "load-grpc", Arguments("99999", "4", "0"), CancellationToken.None);

        Assert.False(notANumber.Success);
        Assert.Contains("validation failed", notANumber.Message);
        Assert.False(badSizes.Success);
        Assert.Contains("sizes must be whole numbers between 1 and 100000, comma-separated, got '10,lots'", badSizes.Message);
        Assert.False(tooLong.Success);
        Assert.Contains("duration must be between 0 and 3600 seconds, got 99999", tooLong.Message);
    }

    [Fact]
    public async Task The_control_api_checks_the_token_before_the_body_and_says_what_is_wrong_with_a_body_it_cannot_read()
    {
        // The token the AppHost handed the load generator, as the AppHost resolves its environment.
        var loadgen = chain.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "loadgen");
        var configuration = await ExecutionConfigurationBuilder.Create(loadgen).WithEnvironmentVariablesConfig()
            .BuildAsync(chain.App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        var token = configuration.EnvironmentVariables.Single(v => v.Key == "LoadGen__ControlToken").Value;
        using var http = new HttpClient { BaseAddress = chain.App.GetEndpoint("loadgen", "http") };
        HttpRequestMessage Post(string body, string? withToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Protos.Control.RunRequest.Path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (withToken is not null) request.Headers.Add(Protos.Control.ControlToken.Header, withToken);
            return request;
        }

        using var stranger = await http.SendAsync(Post("""{"kind":"everything"}""", withToken: null));
        using var unknownKind = await http.SendAsync(Post("""{"kind":"everything"}""", token));
        using var notJson = await http.SendAsync(Post("run it", token));

        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
        Assert.Contains("the body is not a run request", await unknownKind.Content.ReadAsStringAsync());
        Assert.Contains("$.kind", await unknownKind.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("the body is not a run request", await notJson.Content.ReadAsStringAsync());
    }
}
