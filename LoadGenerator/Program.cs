using LoadGenerator.Cli;
using LoadGenerator.Serve;

try
{
    var command = CommandLine.Parse(args);
    if (command is ServeCommand) return await ControlApi.RunAsync(args);

    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await ConsoleRunner.RunAsync(command, cancel.Token);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return ExitCodes.Usage;
}
