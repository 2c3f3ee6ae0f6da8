#!/usr/bin/env bash
# The suite's main job, end to end on this machine with built-in defaults:
# build, start the Secrets Store CSI driver and a provider on unix sockets in a temporary
# directory, publish a volume from a SecretProviderClass into a real tmpfs the way kubelet
# does, change a secret and republish to show rotation, unpublish, and clean up.
# Needs root (it mounts tmpfs) and the .NET SDK.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "demo.sh mounts a tmpfs, which needs root: run it as root (e.g. sudo ./demo.sh)" >&2
  exit 1
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "build"
for project in driver/SecretsStore.Driver driver/Csi.Client tests/Csi.TestProvider; do
  dotnet build "$repo/$project" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
done
bin() { echo "$repo/$1/bin/Release/net10.0/$2.dll"; }
driver=$(bin driver/SecretsStore.Driver secrets-store-csi-driver)
csictl() { dotnet "$(bin driver/Csi.Client csictl)" --endpoint "unix://$work/csi.sock" "$@"; }
provider=$(bin tests/Csi.TestProvider csi-test-provider)

work=$(mktemp -d /tmp/secrets-store-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  { grep -o " $work[^ ]*" /proc/self/mountinfo 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

step "a secret store, a SecretProviderClass, a provider and the driver in $work"
mkdir -p "$work/store" "$work/spc" "$work/providers" "$work/pods/3f1c/volumes/kubernetes.io~csi/secrets"
printf 'db-password-v1' > "$work/store/db-password"
printf 'api-key-1234' > "$work/store/api-key"
cat > "$work/spc/demo.yaml" <<'YAML'
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: demo
  namespace: default
spec:
  provider: test
  parameters:
    objects: |
      - objectName: db-password
        filePermission: "0440"
      - objectName: api-key
YAML
cat "$work/spc/demo.yaml"
dotnet "$provider" --endpoint "$work/providers/test.sock" --secrets-dir "$work/store" > "$work/provider.log" 2>&1 &
pids+=($!)
dotnet "$driver" --endpoint "unix://$work/csi.sock" --nodeid demo-node \
  --provider-volume "$work/providers" --additional-provider-volume-paths= \
  --spc-dir "$work/spc" --metrics-addr= \
  --enable-secret-rotation --rotation-poll-interval=2s > "$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  [ -S "$work/csi.sock" ] && [ -S "$work/providers/test.sock" ] && csictl identity >/dev/null 2>&1 && break
  sleep 0.1
done
csictl identity

target="$work/pods/3f1c/volumes/kubernetes.io~csi/secrets/mount"
publish() {
  csictl publish --volume-id csi-3f1c --target-path "$target" --readonly \
    --attrib secretProviderClass=demo --pod-name web --pod-namespace default --pod-uid 3f1c \
    --service-account web
}

step "publish, as kubelet does for a CSI inline volume"
publish
echo "mount:"; grep " $target " /proc/self/mountinfo | awk '{print "  "$5" "$6" "$9" "$10" "$11}'
echo "files:"; ls -la "$target" | sed 's/^/  /'
echo "db-password: $(cat "$target/db-password")   api-key: $(cat "$target/api-key")"

step "rotate: change the secret, wait past --rotation-poll-interval, republish"
printf 'db-password-v2' > "$work/store/db-password"
sleep 2.2
publish
echo "db-password: $(cat "$target/db-password")   api-key: $(cat "$target/api-key")"

step "unpublish"
csictl unpublish --volume-id csi-3f1c --target-path "$target"
if grep -q " $target " /proc/self/mountinfo || [ -e "$target" ]; then
  echo "target still present" >&2; exit 1
fi
echo "target unmounted and removed"

step "driver log"
sed 's/^/  /' "$work/driver.log"
