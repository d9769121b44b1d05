using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Protos.Json;
using ServiceDefaults.Hops;

namespace ServiceDefaults;

/// <summary>The two ways a role serves its callers; <c>Chain:Transport</c> picks one per process.</summary>
public static class Transports
{
    public const int MaxRequestBytes = 64 * 1024;

    public static ChainOptions AddChainTransport(this WebApplicationBuilder builder)
    {
        var chain = ChainOptions.From(builder.Configuration);
        builder.Services.AddSingleton(chain);
        builder.Services.AddSingleton<InjectedDelay>();
        // Requests are a seed and a size: anything big is not one of ours, and is refused before it costs memory.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            // Open connections, counted for /stats: a soak or an overload shows whether they pile up.
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
            {
                ChainMetrics.ConnectionOpened();
                try
                {
                    await next(connection);
                }
                finally
                {
                    ChainMetrics.ConnectionClosed();
                }
            }));
        });
        if (chain.Transport is ChainTransport.Grpc)
        {
            builder.Services.AddGrpc(grpc =>
            {
                grpc.MaxReceiveMessageSize = MaxRequestBytes;
                // grpc-dotnet decodes a unary request before any of our code runs, and answers an undecodable one with
                // Unknown "Exception was thrown by handler."; detailed errors add what was wrong with it.
                grpc.EnableDetailedErrors = true;
                grpc.Interceptors.Add<UnaryCallCounting>();
            });
            builder.Services.AddSingleton(new UnaryCallCounting(ChainMetrics.Requests, ChainMetrics.Noops));
            builder.Services.AddGrpcReflection();
            builder.Services.AddSingleton<DuplexPump>();
        }
        else
        {
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ChainJsonContext.Default));
            builder.Services.AddProblemDetails();
        }
        return chain;
    }

    /// <summary>The fault knob's admin endpoint (see <see cref="InjectedDelay"/>).</summary>
    public static void MapInjectedDelay(this WebApplication app) => InjectedDelay.Map(app);

    /// <summary>A gRPC role service, and reflection so tools can list it without the .proto.</summary>
    public static void MapChainGrpc<TService>(this WebApplication app) where TService : class
    {
        app.MapGrpcService<TService>();
        app.MapGrpcService<CeilingGrpc>();
        app.MapGrpcReflectionService();
    }

    /// <summary>A REST role endpoint whose outcomes are counted (what the load generator reconciles against), beside the no-op ceiling.</summary>
    /// <remarks>Each request gets its <see cref="RequestBudget"/> here: the caller's <c>Chain-Timeout-Ms</c>, or <c>Chain:RequestTimeout</c>.</remarks>
    public static RouteHandlerBuilder MapChainGet(this WebApplication app, string pattern, Delegate handler)
    {
        app.MapGet(Ceiling.RestPath, Ceiling.NoopRest);
        var timeout = app.Services.GetRequiredService<ChainOptions>().RequestTimeout;
        return app.MapGet(pattern, handler).AddEndpointFilter(async (context, next) =>
        {
            ChainMetrics.Requests.Start();
            if (!RequestBudget.TryStart(context.HttpContext, timeout, out var budget, out var error))
            {
                ChainMetrics.Requests.Fail();
                return InvalidRequest(error);
            }
            try
            {
                var result = await next(context);
                if (result is IStatusCodeHttpResult { StatusCode: >= 400 }) ChainMetrics.Requests.Fail();
                else ChainMetrics.Requests.Serve();
                return result;
            }
            catch (OperationCanceledException) when (budget.Expired)
            {
                ChainMetrics.Requests.Fail();
                return TypedResults.Problem($"the request's {budget.Total.TotalMilliseconds:0} ms ran out before it was served; its work was cancelled",
                    statusCode: StatusCodes.Status504GatewayTimeout, title: "Timed out");
            }
            catch
            {
                ChainMetrics.Requests.Fail();
                throw;
            }
        });
    }

    public static ProblemHttpResult InvalidRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    public static ProblemHttpResult DownstreamFailed(HopFailedException e) =>
        TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Downstream failed");
}
