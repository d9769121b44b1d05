using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace ServiceDefaults.Rest;

/// <summary>A protobuf message as a REST answer: its length known up front, written straight into the response's pipe.</summary>
internal sealed class ProtobufResult(IMessage message) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = RestEncodings.ProtobufMediaType;
        http.Response.ContentLength = message.CalculateSize();
        // Started, Kestrel hands out its pipe's own memory (not a lease copied later). Google.Protobuf begins with an
        // Advance(0), which Kestrel refuses before any GetSpan: the first span is taken here.
        await http.Response.StartAsync(http.RequestAborted);
        var body = http.Response.BodyWriter;
        body.GetSpan();
        message.WriteTo(body);
        await body.FlushAsync(http.RequestAborted);
    }
}
