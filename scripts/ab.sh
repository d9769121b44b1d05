#!/usr/bin/env bash
# A/B two settings or two builds side by side: both sides' six services run at once, from environment variables alone
# (no AppHost, no dashboard: nothing else exporting or storing telemetry), A on the fixed ports and B on them + 1000, and
# the compare's rows alternate A, B, A, B… against one side's chains at a time, so both sides see the same machine at
# nearly the same moment (Release AppHosts started in turn, this script's first way, were up to a fifth apart A/A).
#   scripts/ab.sh "" "Chain__Sockets__UnsafePreferInlineScheduling=true" 3 --only rest -z 8s
#   scripts/ab.sh "" "loadgen:DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1" 2 --only grpc-unary-shared
#   scripts/ab.sh --b-root ../other-checkout "" "" 3 --only grpc-stream-shared
# Arguments: A's variables, B's (space-separated NAME=value, "" for none; "loadgen:NAME=value" goes to that side's load
# generator instead of its services), rounds, then the compare's options. --a-root/--b-root DIR: the checkout whose
# Release build that side runs (default this one; each is built first). Reports and the services' logs: results/ab-*/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/service-env.sh
here=$PWD a_root=$PWD b_root=$PWD
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --a-root) a_root=$(cd "$2" && pwd); shift 2 ;;
    --b-root) b_root=$(cd "$2" && pwd); shift 2 ;;
    *) echo "ab: unknown option $1" >&2; exit 2 ;;
  esac
done
a=$1 b=$2 rounds=$3
shift 3
out=$here/results/ab-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
for root in $(printf '%s\n' "$a_root" "$b_root" | sort -u); do dotnet build -c Release "$root/Aspire.sln" -v q -nologo >/dev/null; done

pids=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT INT TERM

# name, project, transport, port, second port (REST: h2c; gRPC: HTTP/1.1), the service it calls
services=(
  "producer-rest Producer Rest 8000 8100 -"
  "processor-rest Processor Rest 8001 8101 producer-rest"
  "aggregator-rest Aggregator Rest 8002 8102 processor-rest"
  "producer-grpc Producer Grpc 50051 8051 -"
  "processor-grpc Processor Grpc 50052 8052 producer-grpc"
  "aggregator-grpc Aggregator Grpc 50053 8053 processor-grpc"
)
port_of() { local n p t port second c; for s in "${services[@]}"; do read -r n p t port second c <<<"$s"; [[ $n == "$1" ]] && echo "$port $second"; done; }

side() { # label, root, port offset, variables: starts the side's services, writes its chains file
  local label=$1 root=$2 offset=$3 variables=$4 name project transport port second calls env v
  for s in "${services[@]}"; do
    read -r name project transport port second calls <<<"$s"
    port=$((port + offset)) second=$((second + offset))
    # A port already taken (an AppHost, another A/B) would leave this side's service down and measure someone else's.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "ab: port $port is in use; stop what holds it first" >&2; exit 1; fi
    mapfile -t env < <(service_env "$transport" 127.0.0.1 "$port" "$second")
    # Telemetry as the AppHost sets it (ChainRoles.WithTelemetry), though nothing is exported.
    env+=(Chain__TraceSampling=5/s OTEL_METRIC_EXPORT_INTERVAL=2000)
    if [[ $calls != - ]]; then
      read -r cport csecond <<<"$(port_of "$calls")"
      cport=$((cport + offset)) csecond=$((csecond + offset))
      env+=(Chain__Downstream="$calls")
      if [[ $transport == Rest ]]; then
        env+=("services__${calls}__http__0=http://127.0.0.1:$cport" "services__${calls}__h2c__0=http://127.0.0.1:$csecond")
      else
        env+=(Chain__DownstreamEndpoint=grpc "services__${calls}__grpc__0=http://127.0.0.1:$cport")
      fi
    fi
    for v in $variables; do [[ $v == loadgen:* ]] || env+=("$v"); done
    env "${env[@]}" dotnet "$root/$project/bin/Release/net10.0/$project.dll" >"$out/$label-$name.log" 2>&1 &
    pids+=($!)
  done
  local r=$((8002 + offset)) g=$((8053 + offset))
  cat >"$out/$label-chains.json" <<EOF
{"rest": "http://127.0.0.1:$r/aggregate", "restH2c": "http://127.0.0.1:$((8102 + offset))/aggregate", "grpc": "http://127.0.0.1:$((50053 + offset))",
 "stats": {"aggregator-rest": "http://127.0.0.1:$r", "processor-rest": "http://127.0.0.1:$((8001 + offset))", "producer-rest": "http://127.0.0.1:$((8000 + offset))",
           "aggregator-grpc": "http://127.0.0.1:$g", "processor-grpc": "http://127.0.0.1:$((8052 + offset))", "producer-grpc": "http://127.0.0.1:$((8051 + offset))"}}
EOF
  for health in $r $((8001 + offset)) $((8000 + offset)) $g $((8052 + offset)) $((8051 + offset)); do
    for i in $(seq 120); do curl -sf "http://127.0.0.1:$health/health" >/dev/null && break; [[ $i == 120 ]] && { echo "ab: $label's service on $health is not healthy (logs in $out)" >&2; exit 1; }; sleep 0.5; done
  done
}

loadgen_env() { local v e=(); for v in $1; do [[ $v == loadgen:* ]] && e+=("${v#loadgen:}"); done; echo "${e[@]}"; }

side A "$a_root" 0 "$a"
side B "$b_root" 1000 "$b"
echo "A: ${a:-(as built)} from $a_root; B: ${b:-(as built)} from $b_root; reports in $out"
for round in $(seq "$rounds"); do
  for label in A B; do
    [[ $label == A ]] && variables=$a root=$a_root || variables=$b root=$b_root
    echo "== round $round $label"
    # shellcheck disable=SC2046
    env "$gen0_budget" $(loadgen_env "$variables") dotnet "$root/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll" compare --chains "$out/$label-chains.json" \
      --out "$out/$round-$label" --name "$label: ${variables:-as built}" "$@" 2>/dev/null | grep '^|' || true
  done
done
