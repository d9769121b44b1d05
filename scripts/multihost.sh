#!/usr/bin/env bash
# The comparison across hosts, on one machine: each service and the load generator in a network namespace of its own
# (its own address, its own TCP stack), all joined by a bridge, every link optionally shaped with tbf. Needs root.
#   sudo scripts/multihost.sh                          # the whole compare across 7 namespaced hosts
#   sudo scripts/multihost.sh --link 100mbit -- -z 5s  # every host's link shaped to 100 Mbit/s; after -- the compare's options
#   sudo scripts/multihost.sh --replicas 2 --balance service  # two hosts per processor behind one virtual address
#   sudo scripts/multihost.sh --replicas 2 --balance dns      # one name for both, gRPC balancing its calls itself
#   sudo scripts/multihost.sh --clean                  # remove what a killed run left behind
# --replicas N runs each processor on N hosts. --balance says how its aggregator reaches them: "service" (the default)
# through one virtual address that picks a replica per TCP connection, as a Kubernetes Service's kube-proxy rules do;
# "client" by listing every replica to service discovery, which picks one per request (per gRPC call); "dns" gives a
# gRPC hop one name that resolves to every replica (as a headless Service's does) and lets gRPC's own round_robin policy
# spread the calls (a REST hop is balanced as with "client": HttpClient has no such policy).
# Also: --out DIR (default results), -c Debug|Release (default Release), --no-build (use that build as it is).
# Whatever happens (failure, Ctrl-C), it stops the processes it started and removes its namespaces, links and bridge.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/service-env.sh

prefix=mh subnet=10.77.0 bridge=mhbr0
link="" out=results clean=false configuration=Release build=true replicas=1 balance=service
while [[ $# -gt 0 ]]; do
  case $1 in
    --link) link=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --clean) clean=true; shift ;;
    --replicas) replicas=$2; shift 2 ;;
    --balance) balance=$2; shift 2 ;;
    -c|--configuration) configuration=$2; shift 2 ;;
    --no-build) build=false; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "multihost: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

[[ $(id -u) == 0 ]] || { echo "multihost: network namespaces need root (run it with sudo)" >&2; exit 2; }
command -v ip >/dev/null || { echo "multihost: 'ip' is missing (apt-get install iproute2)" >&2; exit 2; }
if [[ -n $link ]]; then command -v tc >/dev/null || { echo "multihost: --link needs 'tc' (apt-get install iproute2)" >&2; exit 2; }; fi
[[ $replicas =~ ^[1-9]$ ]] || { echo "multihost: --replicas must be 1 to 9, got '$replicas'" >&2; exit 2; }
[[ $balance =~ ^(service|client|dns)$ ]] || { echo "multihost: --balance must be service, client or dns, got '$balance'" >&2; exit 2; }
if (( replicas > 1 )) && [[ $balance == service ]]; then
  command -v iptables >/dev/null || { echo "multihost: --balance service needs 'iptables' (apt-get install iptables)" >&2; exit 2; }
fi

# host name, address, role project, transport, the service it calls; a processor's replica k > 1 is on octet + 100 (k - 1).
hosts=(
  "producer-rest   11 Producer   Rest -"
  "processor-rest  12 Processor  Rest producer-rest"
  "aggregator-rest 13 Aggregator Rest processor-rest"
  "producer-grpc   21 Producer   Grpc -"
  "processor-grpc  22 Processor  Grpc producer-grpc"
  "aggregator-grpc 23 Aggregator Grpc processor-grpc"
)
for k in $(seq 2 "$replicas"); do
  hosts+=("processor-rest-$k $((12 + 100 * (k - 1))) Processor Rest producer-rest"
          "processor-grpc-$k $((22 + 100 * (k - 1))) Processor Grpc producer-grpc")
done
loadgen_octet=2
# With --balance service, the address each processor's callers are given: no host has it, their DNAT rules pick a replica.
declare -A virtual=([processor-rest]=$subnet.250 [processor-grpc]=$subnet.251)
declare -A address=() port=() side=()
for h in "${hosts[@]}"; do read -r name octet _ _ _ <<<"$h"; address[$name]=$subnet.$octet; done
port=([producer-rest]=8000 [processor-rest]=8001 [aggregator-rest]=8002 [producer-grpc]=50051 [processor-grpc]=50052 [aggregator-grpc]=50053)
# The second endpoint: a REST service's HTTP/2 side, a gRPC service's HTTP/1.1 side (health, /stats).
side=([producer-rest]=8100 [processor-rest]=8101 [aggregator-rest]=8102 [producer-grpc]=8051 [processor-grpc]=8052 [aggregator-grpc]=8053)
role_of() { echo "${1%-[0-9]}"; }  # processor-rest-2 → processor-rest: a replica listens where its service does
replicas_of() { local r=$1 k; echo "$r"; for k in $(seq 2 "$replicas"); do [[ -n ${address[$r-$k]:-} ]] && echo "$r-$k"; done; }

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
  rm -rf /etc/netns/"$prefix"-*
  ip link del "$bridge" 2>/dev/null || true
  exit "$status"
}

if $clean; then cleanup; fi
if ip netns list | grep -q "^$prefix-" || ip link show "$bridge" >/dev/null 2>&1 || compgen -G "/etc/netns/$prefix-*" >/dev/null; then
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
# What a caller is told of the service it calls, endpoint by endpoint: every replica, the one virtual address, or for a
# gRPC hop balanced by gRPC the service's name, which the caller's hosts file resolves to every replica.
discovery() {
  local calls=$1 endpoint=$2 at_port=$3 i=0 r
  if [[ -n ${virtual[$calls]:-} ]] && (( replicas > 1 )) && [[ $balance == service ]]; then
    echo "services__${calls}__${endpoint}__0=http://${virtual[$calls]}:$at_port"
    return
  fi
  if (( replicas > 1 )) && [[ $balance == dns && $endpoint == grpc && -n ${virtual[$calls]:-} ]]; then
    echo "services__${calls}__${endpoint}__0=http://$calls:$at_port"
    echo "Chain__GrpcLoadBalancing=round_robin"
    return
  fi
  for r in $(replicas_of "$calls"); do echo "services__${calls}__${endpoint}__$i=http://${address[$r]}:$at_port"; i=$((i + 1)); done
}

# kube-proxy's rules, in the caller's namespace: a new connection to the virtual address goes to replica k with
# probability 1/(replicas left), so each gets 1/N of the connections; a connection, once made, stays where it went.
balance_by_connection() {
  local ns=$prefix-$1 calls=$2 left=$replicas r
  for r in $(replicas_of "$calls"); do
    if (( left > 1 )); then
      ip netns exec "$ns" iptables -t nat -A OUTPUT -d "${virtual[$calls]}" -p tcp -m statistic --mode random \
        --probability "$(awk "BEGIN { print 1 / $left }")" -j DNAT --to-destination "${address[$r]}"
    else
      ip netns exec "$ns" iptables -t nat -A OUTPUT -d "${virtual[$calls]}" -p tcp -j DNAT --to-destination "${address[$r]}"
    fi
    left=$((left - 1))
  done
}

# A name with an address per replica, in the caller's own hosts file (ip netns exec mounts /etc/netns/NS/hosts over /etc/hosts).
resolve_to_replicas() {
  local ns=$prefix-$1 calls=$2 r
  mkdir -p /etc/netns/"$ns"
  { cat /etc/hosts; for r in $(replicas_of "$calls"); do echo "${address[$r]} $calls"; done; } >/etc/netns/"$ns"/hosts
}

for h in "${hosts[@]}"; do
  read -r name octet project transport calls <<<"$h"
  at=${address[$name]}
  role=$(role_of "$name")
  mapfile -t env < <(service_env "$transport" "$at" "${port[$role]}" "${side[$role]}")
  if [[ $calls != - ]]; then
    env+=(Chain__Downstream="$calls")
    if [[ $transport == Rest ]]; then
      mapfile -t -O "${#env[@]}" env < <(discovery "$calls" http "${port[$calls]}"; discovery "$calls" h2c "${side[$calls]}")
    else
      env+=(Chain__DownstreamEndpoint=grpc)
      mapfile -t -O "${#env[@]}" env < <(discovery "$calls" grpc "${port[$calls]}")
    fi
    if (( replicas > 1 )) && [[ $balance == service && -n ${virtual[$calls]:-} ]]; then balance_by_connection "$name" "$calls"; fi
    if (( replicas > 1 )) && [[ $balance == dns && $transport == Grpc && -n ${virtual[$calls]:-} ]]; then resolve_to_replicas "$name" "$calls"; fi
  fi
  mkdir -p "$out/multihost-logs"
  ip netns exec "$prefix-$name" env "${env[@]}" dotnet "$project/bin/$configuration/net10.0/$project.dll" >"$out/multihost-logs/$name.log" 2>&1 &
  pids+=($!)
done

stats_of() {
  local role; role=$(role_of "$1")
  [[ $role == *-rest ]] && echo "http://${address[$1]}:${port[$role]}" || echo "http://${address[$1]}:${side[$role]}"
}
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
    echo "  \"$name\": [$(for r in $(replicas_of "$name"); do echo "\"$(stats_of "$r")\""; done | paste -sd, -)],"
  done | sed '$ s/,$//'
  echo " }}"
} >"$chains"

topology="loadgen $subnet.$loadgen_octet"
for h in "${hosts[@]}"; do read -r name _ <<<"$h"; topology+=", $name ${address[$name]}"; done
spread=""
if (( replicas > 1 )); then
  case $balance in
    service) spread="by connection, through ${virtual[processor-rest]} and ${virtual[processor-grpc]}" ;;
    client) spread="by request, by service discovery" ;;
    dns) spread="by gRPC's round_robin over the addresses processor-grpc resolves to, REST by service discovery" ;;
  esac
fi
echo "hosts: $topology; links: ${link:-not shaped}${spread:+; processors balanced $spread}"
ip netns exec "$prefix-loadgen" env "$gen0_budget" dotnet "LoadGenerator/bin/$configuration/net10.0/LoadGenerator.dll" compare --chains "$chains" --out "$out" \
  --name "multihost${link:+, links $link}${spread:+, $replicas processors a chain balanced $spread}" --tags hosts=$(( ${#hosts[@]} + 1 )) \
  --tags "topology=$topology" --tags "link=${link:-unshaped}" --tags replicas=$replicas ${spread:+--tags "balance=$balance"} "$@"
