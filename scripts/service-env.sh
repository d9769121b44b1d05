# Sourced by ab.sh and multihost.sh: what runs a chain service without the AppHost (README: "Running a service from
# configuration alone").

# The runtime's gen0 budget the AppHost gives every service and the load generator (ChainRoles.WithGen0Budget).
gen0_budget=DOTNET_GCgen0size=0x4000000

# A service's own environment, one NAME=value a line: its transport, its two Kestrel endpoints on an address, the gen0
# budget. Arguments: transport (Rest or Grpc), address, port, second port (REST: its h2c side; gRPC: its HTTP/1.1 side).
service_env() {
  local transport=$1 at=$2 port=$3 second=$4
  echo "Chain__Transport=$transport"
  echo "$gen0_budget"
  if [[ $transport == Rest ]]; then
    echo "Kestrel__Endpoints__http__Url=http://$at:$port"; echo "Kestrel__Endpoints__http__Protocols=Http1"
    echo "Kestrel__Endpoints__h2c__Url=http://$at:$second"; echo "Kestrel__Endpoints__h2c__Protocols=Http2"
  else
    echo "Kestrel__Endpoints__grpc__Url=http://$at:$port"; echo "Kestrel__Endpoints__grpc__Protocols=Http2"
    echo "Kestrel__Endpoints__http__Url=http://$at:$second"; echo "Kestrel__Endpoints__http__Protocols=Http1"
  fi
}
