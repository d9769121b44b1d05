using LoadGenerator.Cli;
using LoadGenerator.Serve;

Command command;
try
{
    command = CommandLine.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 2;
}

if (command is ServeCommand) return await ControlApi.RunAsync(args);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await ConsoleRunner.RunAsync(command, cancel.Token);
