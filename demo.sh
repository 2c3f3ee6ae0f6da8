#!/usr/bin/env bash
# The suite's main job, end to end on this machine with built-in defaults:
# build; start a Vault (the loopback Vault sandbox), the Vault provider and the Secrets Store CSI
# driver on unix sockets in a temporary directory; publish a volume from a SecretProviderClass into
# a real tmpfs exactly as kubelet would (pod info and a projected service-account token); change the
# secret in Vault and republish to show rotation; unpublish; and clean up everything it started.
# Needs root (it mounts tmpfs) and the .NET SDK.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --preserve-env=PATH,DOTNET_ROOT,HOME "$0" "$@"
  fi
  echo "demo.sh mounts a tmpfs, which needs root: run it as root" >&2
  exit 1
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "build"
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
for project in driver/SecretsStore.Driver driver/Csictl providers/Csi.Providers.Vault tests/Csi.Sandboxes.Vault; do
  dotnet build "$repo/$project" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
done
bin() { echo "$repo/$1/bin/Release/net10.0/$2.dll"; }
driver=$(bin driver/SecretsStore.Driver secrets-store-csi-driver)
provider=$(bin providers/Csi.Providers.Vault vault-csi-provider)
vault=$(bin tests/Csi.Sandboxes.Vault Csi.Sandboxes.Vault)
csictl() { dotnet "$(bin driver/Csictl csictl)" --endpoint "unix://$work/csi.sock" "$@"; }

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
wait_for() { # wait_for DESCRIPTION COMMAND...: up to 30 s
  local what=$1; shift
  for _ in $(seq 1 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$what did not come up; logs are in $work" >&2; exit 1
}

step "Vault (loopback sandbox): KV v2 secret, kubernetes auth role for service account default/web"
mkdir -p "$work/spc" "$work/providers" "$work/pods/3f1c/volumes/kubernetes.io~csi/secrets"
root_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat > "$work/vault-seed.json" <<'JSON'
{
  "secrets": [ { "mount": "secret", "path": "app/db", "data": { "username": "app", "password": "db-password-v1" } } ],
  "policies": [ { "name": "web", "rules": [ { "path": "secret/data/app/*", "capabilities": ["read"] } ] } ],
  "auth": [ { "type": "kubernetes", "path": "kubernetes",
              "roles": { "web": { "bound_service_account_names": ["web"], "bound_service_account_namespaces": ["default"],
                                  "audience": "vault", "token_ttl": "20m", "token_policies": ["web"] } } } ]
}
JSON
dotnet "$vault" --listen 127.0.0.1:0 --root-token "$root_token" --seed "$work/vault-seed.json" \
  --jwt default/web --jwt-audience vault --jwt-out "$work/web.jwt" > "$work/vault.log" 2>&1 &
pids+=($!)
wait_for "the Vault sandbox" grep -q "listening on" "$work/vault.log"
vault_addr=$(grep -o 'listening on http://[^ ]*' "$work/vault.log" | sed 's|listening on ||; s|/$||')
echo "Vault at $vault_addr"

step "the Vault provider and the driver"
dotnet "$provider" --endpoint "$work/providers/vault.sock" --health-addr= > "$work/provider.log" 2>&1 &
pids+=($!)
dotnet "$driver" --endpoint "unix://$work/csi.sock" --nodeid demo-node \
  --provider-volume "$work/providers" --additional-provider-volume-paths= \
  --spc-dir "$work/spc" --metrics-addr= --state-dir "$work/state" \
  --enable-secret-rotation --rotation-poll-interval=2s > "$work/driver.log" 2>&1 &
pids+=($!)
wait_for "the Vault provider" test -S "$work/providers/vault.sock"
wait_for "the driver" csictl identity
csictl identity

step "a SecretProviderClass, as upstream's Vault provider takes it"
cat > "$work/spc/app.yaml" <<YAML
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: app
  namespace: default
spec:
  provider: vault
  parameters:
    roleName: web
    vaultAddress: "$vault_addr"
    objects: |
      - objectName: db-password
        secretPath: secret/data/app/db
        secretKey: password
        filePermission: 0440
      - objectName: db-username
        secretPath: secret/data/app/db
        secretKey: username
YAML
cat "$work/spc/app.yaml"

target="$work/pods/3f1c/volumes/kubernetes.io~csi/secrets/mount"
publish() {
  csictl publish --volume-id csi-3f1c --target-path "$target" --readonly \
    --attrib secretProviderClass=app --pod-name web-0 --pod-namespace default --pod-uid 3f1c \
    --service-account web --token "vault=$(cat "$work/web.jwt")"
}

step "publish, as kubelet does for a CSI inline volume"
publish
echo "mount:"; grep " $target " /proc/self/mountinfo | awk '{print "  "$5" "$6" "$9" "$10" "$11}'
echo "files:"; ls -la "$target" "$target/..data/" | sed 's/^/  /'
echo "db-username: $(cat "$target/db-username")   db-password: $(cat "$target/db-password")"

step "rotate: write a new version to Vault, wait past --rotation-poll-interval, republish"
curl -sf -X POST -H "X-Vault-Token: $root_token" -d '{"data":{"username":"app","password":"db-password-v2"}}' \
  "$vault_addr/v1/secret/data/app/db" > /dev/null
sleep 2.2
publish
echo "db-username: $(cat "$target/db-username")   db-password: $(cat "$target/db-password")"

step "unpublish"
csictl unpublish --volume-id csi-3f1c --target-path "$target"
if grep -q " $target " /proc/self/mountinfo || [ -e "$target" ]; then
  echo "target still present" >&2; exit 1
fi
echo "target unmounted and removed"

step "logs (no secret or token appears in them)"
sed 's/^/  driver:   /' "$work/driver.log"
sed 's/^/  provider: /' "$work/provider.log"
