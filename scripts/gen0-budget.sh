#!/usr/bin/env bash
# The gen0 collections 1.2 GB of small allocations take without and with the services' gen0 budget (README: "Configuration").
#   scripts/gen0-budget.sh > docs/results/2026-12-03-levers/gen0-budget.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/service-env.sh
dotnet run -c Release --file scripts/gen0-budget.cs
env "$gen0_budget" dotnet run -c Release --file scripts/gen0-budget.cs
