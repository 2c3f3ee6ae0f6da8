#!/usr/bin/env bash
# Runs every test in the solution and closes with one summary line across all test projects.
# Mount tests need root: when not root, the script runs itself again through sudo.
# The scale measurements (minutes of wall time, trait Category=Scale) run only with CSI_SCALE_TESTS=1.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --preserve-env=PATH,DOTNET_ROOT,HOME,CSI_SCALE_TESTS "$0" "$@"
  fi
  echo "test.sh: not root and no sudo; the mount tests will fail" >&2
fi

filter=()
if [ "${CSI_SCALE_TESTS:-0}" != 1 ]; then
  filter=(--filter "Category!=Scale")
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Csi.sln "${filter[@]}" "$@" 2>&1 | tee "$log"
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
