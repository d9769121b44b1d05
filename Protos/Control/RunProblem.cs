namespace Protos.Control;

/// <summary>What is wrong with one argument of a run, named as the dashboard's dialog and the control API name it.</summary>
public sealed record RunProblem(string Argument, string Message);
