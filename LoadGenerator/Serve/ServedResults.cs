using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Protos.Control;
using ServiceDefaults;

namespace LoadGenerator.Serve;

/// <summary>
/// The reports under <c>results/</c>, read-only over HTTP so the dashboard can link them: to callers on this machine or
/// with the control token, never a file outside the directory (the file provider refuses any path that leaves it).
/// </summary>
public static class ServedResults
{
    public static void UseServedResults(this WebApplication app, string resultsDirectory, string token)
    {
        Directory.CreateDirectory(resultsDirectory);
        app.UseWhen(http => http.Request.Path.StartsWithSegments(ServedReports.Path), results =>
        {
            results.Use(async (http, next) =>
            {
                if (http.IsLocalOrCarries(token)) await next(http);
                else await TypedResults.Problem("reports are served on this machine, or with the control token", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(http);
            });
            results.UseFileServer(new FileServerOptions
            {
                FileProvider = new PhysicalFileProvider(Path.GetFullPath(resultsDirectory)),
                RequestPath = ServedReports.Path,
                EnableDirectoryBrowsing = true,
                // latency/ holds .hgrm files, which no content-type table knows: plain text is what they are.
                StaticFileOptions = { ContentTypeProvider = new FileExtensionContentTypeProvider { Mappings = { [".hgrm"] = "text/plain", [".md"] = "text/markdown" } } },
            });
        });
    }
}
