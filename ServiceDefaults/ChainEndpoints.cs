using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ServiceDefaults;

/// <summary>A role's own endpoints, on the transport it serves, counted where the load generator reconciles against them.</summary>
public static class ChainEndpoints
{
    /// <summary>The fault knob's admin endpoint (see <see cref="InjectedDelay"/>).</summary>
    public static void MapInjectedDelay(this WebApplication app) => InjectedDelay.Map(app);

    /// <summary>A gRPC role service, reflection so tools can list it without the .proto, and the standard health service.</summary>
    /// <remarks>Its unary calls are counted by <see cref="UnaryCallCounting"/>, its streams' messages by <see cref="Hops.DuplexPump"/>.</remarks>
    public static void MapChainGrpc<TService>(this WebApplication app) where TService : class
    {
        app.MapGrpcService<TService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
    }

    /// <summary>A REST role endpoint whose outcomes are counted (what the load generator reconciles against).</summary>
    /// <remarks>Each request gets its <see cref="RequestBudget"/> here: the caller's <c>Chain-Timeout-Ms</c>, or <c>Chain:RequestTimeout</c>.</remarks>
    public static RouteHandlerBuilder MapChainGet(this WebApplication app, string pattern, Delegate handler)
    {
        var timeout = app.Services.GetRequiredService<ChainOptions>().RequestTimeout;
        return app.MapGet(pattern, handler).AddEndpointFilter(async (context, next) =>
        {
            ChainMetrics.Requests.Start();
            if (!RequestBudget.TryStart(context.HttpContext, timeout, out var budget, out var error))
            {
                ChainMetrics.Requests.Fail();
                return RestProblems.InvalidRequest(error);
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
                return RestProblems.TimedOut(budget);
            }
            catch
            {
                ChainMetrics.Requests.Fail();
                throw;
            }
        });
    }
}
