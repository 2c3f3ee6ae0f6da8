#!/usr/bin/env bash
# Runs every test in the solution and closes with one summary line across all test projects.
# Mount tests need root; run as root (CI does).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Csi.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed! - Failed: N, Passed: N, Skipped: N, Total: N" line per project.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", "");
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1);
         if ($i == "Passed:") p += $(i+1);
         if ($i == "Skipped:") s += $(i+1);
       }
       n++
     }
     END { printf "test projects run: %d\ntests: %d passed, %d failed, %d skipped\n", n, p, f, s }' "$log"
exit "$status"
