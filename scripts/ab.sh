#!/usr/bin/env bash
# A/B a runtime or library switch on every chain service: Release AppHosts alternating A, B, A, B…, each running the
# same compare rows, so both sides see the same machine drift. Prints each round's table; reports go to results/ab-*/.
#   scripts/ab.sh "DOTNET_gcServer=0" "" 2 --only rest -z 8s
# Arguments: A's variables, B's (space-separated NAME=value; "" for none), rounds, then the compare's options.
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 rounds=$3
shift 3
dotnet build -c Release AppHost -v q -nologo >/dev/null
dotnet build -c Release LoadGenerator -v q -nologo >/dev/null
out=results/ab-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
run=""
# dotnet run's child is the AppHost: it is the one to stop (it stops its services and DCP), then dotnet run ends.
stop() { if [[ -n $run ]]; then pkill -TERM -P "$run" || true; wait "$run" 2>/dev/null || true; run=""; fi; }
trap stop EXIT INT TERM

side() { # label, variables, the compare's options
  local label=$1 variables=$2 args=()
  shift 2
  for variable in $variables; do args+=("--ServiceEnvironment:${variable%%=*}=${variable#*=}"); done
  # The last side's services outlive its AppHost by a few seconds: start once its edges stopped answering.
  for _ in $(seq 60); do curl -s localhost:8002/stats >/dev/null || curl -s localhost:8053/stats >/dev/null || break; sleep 1; done
  dotnet run -c Release --no-build --project AppHost -- "${args[@]}" >"$out/apphost-$label.log" 2>&1 &
  run=$!
  # Ready once the edges answer /stats (the AppHost starts the chains in order, edges last).
  for _ in $(seq 120); do curl -sf localhost:8002/stats >/dev/null && curl -sf localhost:8053/stats >/dev/null && break; sleep 1; done
  sleep 5
  dotnet LoadGenerator/bin/Release/net10.0/LoadGenerator.dll compare "$@" --out "$out/$label" --name "$label" 2>/dev/null | grep '^|' || true
  stop
}

for round in $(seq "$rounds"); do
  echo "== round $round A: ${a:-(none)}"; side "A" "$a" "${@}"
  echo "== round $round B: ${b:-(none)}"; side "B" "$b" "${@}"
done
echo "reports: $out"
