// What a gen0 budget changes: 1.2 GB allocated in small short-lived objects, as a service under load allocates, and
// the gen0 collections that took (each one stops every thread). scripts/gen0-budget.sh runs it without and with the
// budget the services get (ChainRoles.WithGen0Budget).
const long Target = 1_200_000_000;
GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var budget);
var collections = GC.CollectionCount(0);
var start = GC.GetTotalAllocatedBytes(precise: true);
byte[]? last = null;
while (GC.GetTotalAllocatedBytes() - start < Target)
{
    for (var i = 0; i < 10_000; i++) last = new byte[100];
}
GC.KeepAlive(last);
var allocated = GC.GetTotalAllocatedBytes(precise: true) - start;
collections = GC.CollectionCount(0) - collections;
Console.WriteLine($"DOTNET_GCgen0size={Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "(unset)"} " +
    $"(the runtime's GCGen0MaxBudget: 0x{budget:x}): {collections} gen0 collections " +
    $"for {allocated / 1e9:0.00} GB allocated, one every {allocated / 1e6 / Math.Max(1, collections):0.0} MB");
