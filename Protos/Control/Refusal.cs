namespace Protos.Control;

/// <summary>Why the control API refused a call: the <c>detail</c> of its problem answer.</summary>
public sealed record Refusal(string? Detail);
