using Grpc.Core;
using Grpc.Core.Interceptors;
using Protos;

namespace ServiceDefaults;

/// <summary>
/// Counts unary gRPC calls as they are served, so no service method counts its own (streams count per message, in
/// <see cref="Hops.DuplexPump"/>). The ceiling's no-ops go on <paramref name="ceiling"/>, every other call is one of
/// the chain's requests on <paramref name="chain"/>: in flight until it is served or fails. Health checks are nobody's request.
/// </summary>
public sealed class UnaryCallCounting(RequestCount chain, RequestCount ceiling) : Interceptor
{
    private static readonly string CeilingMethods = $"/{CeilingService.Descriptor.FullName}/";
    private static readonly string HealthMethods = $"/{Grpc.Health.V1.Health.Descriptor.FullName}/";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method.StartsWith(HealthMethods, StringComparison.Ordinal)) return continuation(request, context);
        if (!context.Method.StartsWith(CeilingMethods, StringComparison.Ordinal)) return CountedAsync(request, context, continuation);
        // A no-op is served the moment it is taken on, like its REST twin, so it costs the ceiling no await.
        ceiling.ServeAtOnce();
        return continuation(request, context);
    }

    private async Task<TResponse> CountedAsync<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        chain.Start();
        try
        {
            var response = await continuation(request, context);
            chain.Serve();
            return response;
        }
        catch
        {
            chain.Fail();
            throw;
        }
    }
}
