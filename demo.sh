#!/usr/bin/env bash
# The suite's main job, end to end on this machine with built-in defaults, both halves:
# Secrets: build; start a Vault (the loopback Vault sandbox), the Vault provider and the Secrets Store
# CSI driver on unix sockets in a temporary directory; publish a volume from a SecretProviderClass into
# a real tmpfs exactly as kubelet would (pod info and a projected service-account token); change the
# secret in Vault and republish to show rotation; unpublish.
# Storage: make a loop-backed ext4 pool (XFS image volumes); start the Kubernetes API sandbox (volume controller
# emulation), the local-volume CSI driver and csi-provisioner; create a StorageClass and a 300Mi claim
# through the API and watch it get provisioned and Bound; stage and publish the PersistentVolume at a
# pod path as kubelet would, write to it, fail to write past its size, expand it as external-resizer
# and kubelet would, write more; unpublish, unstage, delete the claim and watch the provisioner
# delete the volume and the PersistentVolume.
# Finally (also on failure) it stops, unmounts and detaches everything it started, mounted or attached.
# Needs root (it mounts tmpfs, ext4 and XFS on loop devices) and the .NET SDK.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --preserve-env=PATH,DOTNET_ROOT,HOME "$0" "$@"
  fi
  echo "demo.sh mounts a tmpfs and loop devices, which needs root: run it as root" >&2
  exit 1
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "build"
missing=()
for tool in curl:curl jq:jq losetup:util-linux findmnt:util-linux mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs xfs_growfs:xfsprogs; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
for project in driver/SecretsStore.Driver driver/Csictl providers/Csi.Providers.Vault tests/Csi.Sandboxes.Vault \
    driver/LocalVolume.Driver provisioner/Csi.Provisioner tests/Csi.Sandboxes.Kubernetes.Server; do
  dotnet build "$repo/$project" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
done
bin() { echo "$repo/$1/bin/Release/net10.0/$2.dll"; }
driver=$(bin driver/SecretsStore.Driver secrets-store-csi-driver)
provider=$(bin providers/Csi.Providers.Vault vault-csi-provider)
vault=$(bin tests/Csi.Sandboxes.Vault Csi.Sandboxes.Vault)
lvdriver=$(bin driver/LocalVolume.Driver local-volume-csi-driver)
provisioner=$(bin provisioner/Csi.Provisioner csi-provisioner)
k8s=$(bin tests/Csi.Sandboxes.Kubernetes.Server Csi.Sandboxes.Kubernetes.Server)
csictl() { dotnet "$(bin driver/Csictl csictl)" --endpoint "unix://$work/csi.sock" "$@"; }
lvctl() { dotnet "$(bin driver/Csictl csictl)" --endpoint "unix://$work/lv.sock" "$@"; }

work=$(mktemp -d /tmp/csi-suite-demo.XXXXXX)
pids=()
started=$(date +%s)
loops_under() { losetup -nO NAME,BACK-FILE 2>/dev/null | awk -v p="$1" 'index($2, p) == 1 {print $1}'; }
storage_cleanup() { # pod and staging mounts, then the volumes' loop devices, then the pool and its loop device
  { findmnt -rn -o TARGET 2>/dev/null | grep "^$work/kubelet/" || true; } | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  for dev in $(loops_under "$work/pool/"); do losetup -d "$dev" || true; done
  if findmnt -rn -o TARGET 2>/dev/null | grep -qx "$work/pool"; then umount "$work/pool" 2>/dev/null || umount -l "$work/pool" || true; fi
  for dev in $(loops_under "$work/pool.img"); do losetup -d "$dev" || true; done
}
cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- last lines of $(basename "$log")"; tail -n 15 "$log"; } >&2; done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  storage_cleanup
  { grep -o " $work[^ ]*" /proc/self/mountinfo 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf "$work"
}
trap cleanup EXIT
wait_for() { # wait_for DESCRIPTION COMMAND...: up to 60 s
  local what=$1; shift
  for _ in $(seq 1 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
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

# ---------------------------------------------------------------------------------------------------
# The storage half: dynamic provisioning on the Kubernetes API sandbox, volumes on real loop devices.

step "storage pool: a 2 GiB sparse file on a loop device, ext4, for the local-volume driver's image layout"
truncate -s 2G "$work/pool.img"
pool_loop=$(losetup --find --show "$work/pool.img")
mkfs.ext4 -q "$pool_loop"
mkdir -p "$work/pool"
mount "$pool_loop" "$work/pool"
echo "pool: $pool_loop ($(du -h --apparent-size "$work/pool.img" | cut -f1) sparse file, $(du -h "$work/pool.img" | cut -f1) on disk) mounted at $work/pool"
echo "volumes will be XFS image files in it, each served through a loop device of its own (XFS grows online without"
echo "CAP_SYS_RESOURCE, which online ext4 growth needs and this machine's root lacks; XFS volumes are at least 300Mi)"

step "the Kubernetes API sandbox (HTTPS, kube-controller-manager's volume binding emulated)"
dotnet "$k8s" --listen 127.0.0.1:0 --kubeconfig-out "$work/kubeconfig" --emulate-volume-controllers > "$work/k8s.log" 2>&1 &
pids+=($!)
wait_for "the Kubernetes API sandbox" grep -q "listening on" "$work/k8s.log"
k8s_addr=$(awk '/server:/ {print $2; exit}' "$work/kubeconfig")
k8s_token=$(awk '/token:/ {print $2; exit}' "$work/kubeconfig")
awk '/certificate-authority-data:/ {print $2; exit}' "$work/kubeconfig" | base64 -d > "$work/k8s-ca.pem"
kapi() { # kapi METHOD PATH [JSON] [CONTENT-TYPE]: one API call with the kubeconfig's token and CA
  curl -sS --fail-with-body --cacert "$work/k8s-ca.pem" -H "Authorization: Bearer $k8s_token" \
    -H "Content-Type: ${4:-application/json}" -X "$1" "$k8s_addr$2" ${3:+--data "$3"}
}
echo "API server at $k8s_addr (kubeconfig with its CA and a bearer token in $work/kubeconfig)"
echo "version: $(kapi GET /version | jq -r .gitVersion)"
node=demo-node
topology_key=topology.local.csi.csi-suite.dev/node
echo "registering node $node and its CSINode, as kubelet and node-driver-registrar would"
kapi POST /api/v1/nodes "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"$node\",
  \"labels\":{\"kubernetes.io/hostname\":\"$node\",\"$topology_key\":\"$node\"}}}" > /dev/null
kapi POST /apis/storage.k8s.io/v1/csinodes "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"CSINode\",
  \"metadata\":{\"name\":\"$node\"},\"spec\":{\"drivers\":[{\"name\":\"local.csi.csi-suite.dev\",\"nodeID\":\"$node\",
  \"topologyKeys\":[\"$topology_key\"]}]}}" > /dev/null

step "the local-volume driver (--mode all: controller and node on one socket) and csi-provisioner"
dotnet "$lvdriver" --endpoint "unix://$work/lv.sock" --mode all --nodeid "$node" \
  --pool "name=main,dir=$work/pool,size=1Gi,layout=image,fstype=xfs" > "$work/local-volume.log" 2>&1 &
pids+=($!)
wait_for "the local-volume driver" lvctl identity
lvctl identity
dotnet "$provisioner" --csi-address "$work/lv.sock" --kubeconfig "$work/kubeconfig" --worker-threads=2 \
  --retry-interval-start=100ms --retry-interval-max=2s --timeout=30s > "$work/provisioner.log" 2>&1 &
pids+=($!)

step "a StorageClass and a 300Mi PersistentVolumeClaim, POSTed to the API"
kapi POST /apis/storage.k8s.io/v1/storageclasses '{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass",
  "metadata":{"name":"local"},"provisioner":"local.csi.csi-suite.dev","parameters":{"pool":"main"},
  "volumeBindingMode":"Immediate","allowVolumeExpansion":true,"reclaimPolicy":"Delete"}' \
  | jq -c '{class: .metadata.name, provisioner, volumeBindingMode, allowVolumeExpansion, reclaimPolicy, parameters}'
claim_path=/api/v1/namespaces/default/persistentvolumeclaims/data
kapi POST /api/v1/namespaces/default/persistentvolumeclaims '{"apiVersion":"v1","kind":"PersistentVolumeClaim",
  "metadata":{"name":"data","namespace":"default"},"spec":{"storageClassName":"local",
  "accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"300Mi"}}}}' \
  | jq -c '{claim: "\(.metadata.namespace)/\(.metadata.name)", request: .spec.resources.requests.storage, phase: .status.phase}'
claim_bound() { [ "$(kapi GET "$claim_path" | jq -r .status.phase)" = Bound ]; }
wait_for "the claim to be Bound" claim_bound
pv=$(kapi GET "$claim_path" | jq -r .spec.volumeName)
kapi GET "$claim_path" | jq -c '{claim: .metadata.name, phase: .status.phase, volumeName: .spec.volumeName, capacity: .status.capacity.storage}'
echo "PersistentVolume (created by csi-provisioner, bound by the sandbox's PV controller):"
kapi GET "/api/v1/persistentvolumes/$pv" > "$work/pv.json"
jq '{name: .metadata.name, phase: .status.phase, capacity: .spec.capacity.storage, reclaimPolicy: .spec.persistentVolumeReclaimPolicy,
     driver: .spec.csi.driver, volumeHandle: .spec.csi.volumeHandle, fsType: .spec.csi.fsType, volumeAttributes: .spec.csi.volumeAttributes,
     nodeAffinity: [.spec.nodeAffinity.required.nodeSelectorTerms[]?.matchExpressions[]? | "\(.key) \(.operator) \(.values | join(","))"],
     claimRef: "\(.spec.claimRef.namespace)/\(.spec.claimRef.name)"}' "$work/pv.json"
handle=$(jq -r .spec.csi.volumeHandle "$work/pv.json")
fstype=$(jq -r '.spec.csi.fsType // ""' "$work/pv.json")
attribs=()
while IFS= read -r kv; do attribs+=(--attrib "$kv"); done < <(jq -r '.spec.csi.volumeAttributes // {} | to_entries[] | "\(.key)=\(.value)"' "$work/pv.json")
echo "in the driver's pool: $(ls "$work/pool/volumes")"

pod_uid=$(cat /proc/sys/kernel/random/uuid)
staging="$work/kubelet/plugins/kubernetes.io/csi/local.csi.csi-suite.dev/$(printf %s "$handle" | sha256sum | cut -c1-64)/globalmount"
target="$work/kubelet/pods/$pod_uid/volumes/kubernetes.io~csi/$pv/mount"
mkdir -p "$staging" "$(dirname "$target")"

step "stage and publish, as kubelet does for a pod using the claim (NodeStageVolume, NodePublishVolume)"
lvctl stage --volume-id "$handle" --staging-path "$staging" ${fstype:+--fs-type "$fstype"} "${attribs[@]}"
lvctl publish --volume-id "$handle" --staging-path "$staging" --target-path "$target" ${fstype:+--fs-type "$fstype"} "${attribs[@]}"
echo "mount table:"
findmnt -rn -o TARGET,SOURCE,FSTYPE,SIZE | awk -v w="$work/kubelet/" 'index($1, w) == 1 {print "  "$0}'
echo "loop devices of the pool's volumes:"
losetup -nO NAME,SIZELIMIT,BACK-FILE | awk -v p="$work/pool/" 'index($3, p) == 1 {print "  "$1" "$3}'
echo "hello from the demo" > "$target/hello.txt"
echo "wrote $target/hello.txt: $(cat "$target/hello.txt")"
df -h --output=source,size,used,avail,target "$target" | sed 's/^/  /'

step "write past the size: 316 MiB into the 300Mi volume"
if dd if=/dev/zero of="$target/big" bs=1M count=316 conv=fsync status=none 2> "$work/dd.err"; then
  echo "a 316 MiB write into a 300Mi volume succeeded; the limit did not hold" >&2; exit 1
fi
echo "dd failed as it should: $(head -n 1 "$work/dd.err")"
echo "written before the limit: $(du -h --apparent-size "$target/big" | cut -f1)"
rm -f "$target/big"

step "expand to 512Mi, as external-resizer (ControllerExpandVolume) and kubelet (NodeExpandVolume) would"
kapi PATCH "$claim_path" '{"spec":{"resources":{"requests":{"storage":"512Mi"}}}}' application/merge-patch+json \
  | jq -c '{claim: .metadata.name, request: .spec.resources.requests.storage, "status.capacity": .status.capacity.storage}'
lvctl controller-expand --volume-id "$handle" --size 512Mi ${fstype:+--fs-type "$fstype"}
kapi PATCH "/api/v1/persistentvolumes/$pv" '{"spec":{"capacity":{"storage":"512Mi"}}}' application/merge-patch+json \
  | jq -c '{pv: .metadata.name, capacity: .spec.capacity.storage}'
lvctl node-expand --volume-id "$handle" --volume-path "$target" --staging-path "$staging" --size 512Mi ${fstype:+--fs-type "$fstype"}
kapi PATCH "$claim_path/status" '{"status":{"capacity":{"storage":"512Mi"}}}' application/merge-patch+json \
  | jq -c '{claim: .metadata.name, "status.capacity": .status.capacity.storage}'
df -h --output=source,size,used,avail,target "$target" | sed 's/^/  /'
dd if=/dev/zero of="$target/big" bs=1M count=316 conv=fsync status=none
echo "wrote the same 316 MiB into the expanded volume: $(du -h --apparent-size "$target/big" | cut -f1); hello.txt still reads: $(cat "$target/hello.txt")"

step "unpublish and unstage, as kubelet does when the pod goes"
lvctl unpublish --volume-id "$handle" --target-path "$target"
lvctl unstage --volume-id "$handle" --staging-path "$staging"
if findmnt -rn -o TARGET | grep -q "^$work/kubelet/" || [ -n "$(loops_under "$work/pool/")" ]; then
  echo "a mount or loop device of the volume is still there" >&2; exit 1
fi
echo "no mount under $work/kubelet, no loop device on the pool's volumes"

step "delete the claim: the PV is Released, csi-provisioner deletes the volume (reclaim Delete) and the PV"
kapi DELETE "$claim_path" | jq -c '{deleted: .metadata.name}'
phases="" last=""
for _ in $(seq 1 600); do
  phase=$(kapi GET "/api/v1/persistentvolumes/$pv" 2>/dev/null | jq -r 'select(.kind == "PersistentVolume") | .status.phase // "?"' 2>/dev/null || true)
  [ -z "$phase" ] && break
  [ "$last" = "$phase" ] || { phases="$phases $phase"; last=$phase; }
  sleep 0.1
done
[ -z "$phase" ] || { echo "PV $pv was not deleted" >&2; exit 1; }
echo "PV $pv phases seen:$phases -> deleted"
kapi GET "/api/v1/persistentvolumes/$pv" 2>/dev/null | jq -r '"GET the PV now: \(.code) \(.reason): \(.message)"' || true
echo "PVs left: $(kapi GET /api/v1/persistentvolumes | jq '.items | length'), claims left: $(kapi GET /api/v1/persistentvolumeclaims | jq '.items | length')"
echo "driver's pool: volumes/ holds $(find "$work/pool/volumes" -mindepth 1 | wc -l) entries; state file: $(jq -c . "$work/pool/local-volume-state.json")"
grep -E "ProvisioningSucceeded|[Dd]elet" "$work/provisioner.log" | tail -n 4 | sed 's/^/  provisioner: /' || true

step "done in $(( $(date +%s) - started )) s after the build; cleanup stops everything and detaches the loop devices"
