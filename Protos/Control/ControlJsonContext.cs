using System.Text.Json;
using System.Text.Json.Serialization;

namespace Protos.Control;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(RunStatus))]
[JsonSerializable(typeof(Refusal))]
public partial class ControlJsonContext : JsonSerializerContext;
