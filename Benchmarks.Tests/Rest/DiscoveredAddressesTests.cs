using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;
using ServiceDefaults.Hops;

namespace Benchmarks.Tests.Rest;

/// <summary>
/// The REST hop's pick of its downstream's address, through the real service discovery reading configuration, as a
/// service's <c>services__NAME__ENDPOINT__N</c> variables give it.
/// </summary>
public class DiscoveredAddressesTests
{
    private const string Service = "http://_http.producer-rest";

    [Fact]
    public async Task Each_request_takes_the_next_address_in_turn()
    {
        await using var discovery = Discovery(out _, "http://127.0.0.1:8000", "http://127.0.0.2:8000/");
        var addresses = new DiscoveredAddresses(discovery.GetRequiredService<ServiceEndpointResolver>(), Service);

        var picks = new List<string>();
        for (var i = 0; i < 6; i++) picks.Add(await addresses.NextAsync(Eventually.Within(10)));

        // Bases without a trailing slash, so a path appends as it is; two addresses alternate.
        Assert.Equal(["http://127.0.0.1:8000", "http://127.0.0.2:8000"], picks.Distinct().Order());
        Assert.All(picks.Zip(picks.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task A_changed_configuration_is_picked_from_once_discovery_has_it()
    {
        await using var discovery = Discovery(out var configuration, "http://127.0.0.1:8000");
        var addresses = new DiscoveredAddresses(discovery.GetRequiredService<ServiceEndpointResolver>(), Service);
        var ct = Eventually.Within(10);
        Assert.Equal("http://127.0.0.1:8000", await addresses.NextAsync(ct));

        configuration["services:producer-rest:http:0"] = "http://127.0.0.3:9000";
        configuration.Reload();

        await Eventually.TrueAsync(async () => await addresses.NextAsync(ct) == "http://127.0.0.3:9000", TimeSpan.FromSeconds(5),
            "discovery's new address was never picked", ct);
    }

    private static ServiceProvider Discovery(out IConfigurationRoot configuration, params string[] addresses)
    {
        configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(addresses.Select((address, i) => KeyValuePair.Create($"services:producer-rest:http:{i}", (string?)address)))
            .Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddServiceDiscovery().BuildServiceProvider();
    }
}
