using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceDefaults.Hops;

namespace ServiceDefaults;

/// <summary>How a REST role answers a request it could not serve: problem details, with the status that says why.</summary>
public static class RestProblems
{
    public static ProblemHttpResult InvalidRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    public static ProblemHttpResult DownstreamFailed(HopFailedException e) =>
        TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Downstream failed");

    public static ProblemHttpResult TimedOut(RequestBudget budget) =>
        TypedResults.Problem($"the request's {budget.Total.TotalMilliseconds:0} ms ran out before it was served; its work was cancelled",
            statusCode: StatusCodes.Status504GatewayTimeout, title: "Timed out");
}
