#!/usr/bin/env bash
# The comparison across hosts, on one machine: each service and the load generator in a network namespace of its own
# (its own address, its own TCP stack), all joined by a bridge, every link optionally shaped with tbf. Needs root.
#   sudo scripts/multihost.sh                          # the whole compare across 7 namespaced hosts
#   sudo scripts/multihost.sh --link 100mbit -- -z 5s  # every host's link shaped to 100 Mbit/s; after -- the compare's options
#   sudo scripts/multihost.sh --clean                  # remove what a killed run left behind
# Also: --out DIR (default results), -c Debug|Release (default Release), --no-build (use that build as it is).
# Whatever happens (failure, Ctrl-C), it stops the processes it started and removes its namespaces, links and bridge.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=mh subnet=10.77.0 bridge=mhbr0
link="" out=results clean=false configuration=Release build=true
while [[ $# -gt 0 ]]; do
  case $1 in
    --link) link=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --clean) clean=true; shift ;;
    -c|--configuration) configuration=$2; shift 2 ;;
    --no-build) build=false; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "multihost: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

[[ $(id -u) == 0 ]] || { echo "multihost: network namespaces need root (run it with sudo)" >&2; exit 2; }
command -v ip >/dev/null || { echo "multihost: 'ip' is missing (apt-get install iproute2)" >&2; exit 2; }
if [[ -n $link ]]; then command -v tc >/dev/null || { echo "multihost: --link needs 'tc' (apt-get install iproute2)" >&2; exit 2; }; fi

# host name, address, role project, transport, the service it calls
hosts=(
  "producer-rest   11 Producer   Rest -"
  "processor-rest  12 Processor  Rest producer-rest"
  "aggregator-rest 13 Aggregator Rest processor-rest"
  "producer-grpc   21 Producer   Grpc -"
  "processor-grpc  22 Processor  Grpc producer-grpc"
  "aggregator-grpc 23 Aggregator Grpc processor-grpc"
)
loadgen_octet=2
declare -A address=() port=() side=()
for h in "${hosts[@]}"; do read -r name octet _ _ _ <<<"$h"; address[$name]=$subnet.$octet; done
port=([producer-rest]=8000 [processor-rest]=8001 [aggregator-rest]=8002 [producer-grpc]=50051 [processor-grpc]=50052 [aggregator-grpc]=50053)
# The second endpoint: a REST service's HTTP/2 side, a gRPC service's HTTP/1.1 side (health, /stats).
side=([producer-rest]=8100 [processor-rest]=8101 [aggregator-rest]=8102 [producer-grpc]=8051 [processor-grpc]=8052 [aggregator-grpc]=8053)

pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-" || true); do ip netns del "$ns"; done
  ip link del "$bridge" 2>/dev/null || true
  exit "$status"
}

if $clean; then cleanup; fi
if ip netns list | grep -q "^$prefix-" || ip link show "$bridge" >/dev/null 2>&1; then
  echo "multihost: namespaces or the bridge of an earlier run are still there: scripts/multihost.sh --clean removes them" >&2
  exit 2
fi
trap cleanup EXIT INT TERM

if $build; then
  echo "building ($configuration)…"
  dotnet build -c "$configuration" Aspire.sln -v q -nologo >/dev/null
fi

ip link add "$bridge" type bridge
ip addr add "$subnet.1/24" dev "$bridge"
ip link set "$bridge" up

# A host: a namespace, a veth pair into the bridge, an address, loopback up, its link shaped if asked.
add_host() {
  local ns=$prefix-$1 octet=$2
  ip netns add "$ns"
  ip link add "$prefix$octet" type veth peer name "$prefix${octet}p"
  ip link set "$prefix${octet}p" netns "$ns"
  ip link set "$prefix$octet" master "$bridge" up
  ip netns exec "$ns" ip link set "$prefix${octet}p" name eth0
  ip netns exec "$ns" ip addr add "$subnet.$octet/24" dev eth0
  ip netns exec "$ns" ip link set eth0 up
  ip netns exec "$ns" ip link set lo up
  if [[ -n $link ]]; then
    # What each host sends is shaped, so every hop is shaped both ways.
    ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate "$link" burst 512kb latency 100ms
  fi
}

for h in "${hosts[@]}"; do read -r name octet _ _ _ <<<"$h"; add_host "$name" "$octet"; done
add_host loadgen "$loadgen_octet"

# Every service from environment variables alone (README: "Running a service from configuration alone").
for h in "${hosts[@]}"; do
  read -r name octet project transport calls <<<"$h"
  at=${address[$name]}
  env=(Chain__Transport="$transport")
  if [[ $transport == Rest ]]; then
    env+=(Kestrel__Endpoints__http__Url="http://$at:${port[$name]}" Kestrel__Endpoints__http__Protocols=Http1
          Kestrel__Endpoints__h2c__Url="http://$at:${side[$name]}" Kestrel__Endpoints__h2c__Protocols=Http2)
  else
    env+=(Kestrel__Endpoints__grpc__Url="http://$at:${port[$name]}" Kestrel__Endpoints__grpc__Protocols=Http2
          Kestrel__Endpoints__http__Url="http://$at:${side[$name]}" Kestrel__Endpoints__http__Protocols=Http1)
  fi
  if [[ $calls != - ]]; then
    env+=(Chain__Downstream="$calls")
    if [[ $transport == Rest ]]; then
      env+=("services__${calls}__http__0=http://${address[$calls]}:${port[$calls]}" "services__${calls}__h2c__0=http://${address[$calls]}:${side[$calls]}")
    else
      env+=(Chain__DownstreamEndpoint=grpc "services__${calls}__grpc__0=http://${address[$calls]}:${port[$calls]}")
    fi
  fi
  mkdir -p "$out/multihost-logs"
  ip netns exec "$prefix-$name" env "${env[@]}" dotnet "$project/bin/$configuration/net10.0/$project.dll" >"$out/multihost-logs/$name.log" 2>&1 &
  pids+=($!)
done

stats_of() { [[ $1 == *-rest ]] && echo "http://${address[$1]}:${port[$1]}" || echo "http://${address[$1]}:${side[$1]}"; }
echo "waiting for the services…"
for h in "${hosts[@]}"; do
  read -r name _ <<<"$h"
  for i in $(seq 120); do
    ip netns exec "$prefix-loadgen" curl -sf "$(stats_of "$name")/health" >/dev/null 2>&1 && break
    [[ $i == 120 ]] && { echo "multihost: $name did not become healthy; its log: $out/multihost-logs/$name.log" >&2; exit 1; }
    sleep 0.5
  done
done

chains=$out/multihost-chains.json
{
  echo "{\"rest\": \"http://${address[aggregator-rest]}:${port[aggregator-rest]}/aggregate\","
  echo " \"restH2c\": \"http://${address[aggregator-rest]}:${side[aggregator-rest]}/aggregate\","
  echo " \"grpc\": \"http://${address[aggregator-grpc]}:${port[aggregator-grpc]}\","
  echo " \"stats\": {"
  # In calling order, as the AppHost's reports list them.
  for name in aggregator-rest processor-rest producer-rest aggregator-grpc processor-grpc producer-grpc; do
    echo "  \"$name\": \"$(stats_of "$name")\","
  done | sed '$ s/,$//'
  echo " }}"
} >"$chains"

topology="loadgen $subnet.$loadgen_octet"
for h in "${hosts[@]}"; do read -r name _ <<<"$h"; topology+=", $name ${address[$name]}"; done
echo "hosts: $topology; links: ${link:-not shaped}"
ip netns exec "$prefix-loadgen" dotnet "LoadGenerator/bin/$configuration/net10.0/LoadGenerator.dll" compare --chains "$chains" --out "$out" \
  --name "multihost${link:+, links $link}" --tags hosts=7 --tags "topology=$topology" --tags "link=${link:-unshaped}" --tags replicas=1 "$@"
