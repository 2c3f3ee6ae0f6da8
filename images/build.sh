#!/usr/bin/env bash
# Builds one OCI image per binary of the suite, FROM scratch, with buildah (vfs storage, no daemon), each written
# as an OCI archive: <out>/<image>.tar, tagged <repository>:<version>. Prints each image's size beside the size of
# the binary inside it.
#
#   images/build.sh [--aot DIR] [--out DIR] [--tag TAG] [--repository-prefix PREFIX] [image...]
#
# --aot      where the published binaries are, one directory per binary (default artifacts/aot, where the Native
#            AOT tests publish them); a binary missing there is published first, the same way.
# --out      where the archives go (default artifacts/images).
# --tag      image tag (default: the version in Directory.Build.props, which is every chart's appVersion).
# --repository-prefix  default ghcr.io/csi-suite.
# image...   a subset of: secrets-store-csi-driver secrets-store-csi-driver-crds vault-csi-provider
#            secrets-store-csi-driver-provider-azure secrets-store-csi-driver-provider-aws local-volume-csi-driver
#            csi-provisioner
#
# What goes into each image (see images/README.md): the binary, the shared libraries it links to and the ones .NET
# loads at run time (libssl/libcrypto for TLS), found with ldd on this machine; CA certificates where the component
# talks HTTPS to a public service; /etc/passwd and /etc/group with root and nonroot (65532). Needs root (buildah).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

aot=artifacts/aot
selfcontained=artifacts/self-contained
out=artifacts/images
tag=""
prefix=ghcr.io/csi-suite
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --aot) aot=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --repository-prefix) prefix=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "build.sh: unknown option $1" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
  esac
done
[ -n "$tag" ] || tag=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
command -v buildah >/dev/null 2>&1 || { echo "build.sh: buildah is not installed (apt-get install buildah)" >&2; exit 1; }
mkdir -p "$aot" "$selfcontained" "$out"
aot=$(cd "$aot" && pwd)
selfcontained=$(cd "$selfcontained" && pwd)
out=$(cd "$out" && pwd)

# image | project | binary | user | kind | extras
# kind: aot = Native AOT binary; self-contained = the .NET runtime and the app in /app (for a project whose
# dependencies do not compile with Native AOT); static = a static binary copied as is.
images=(
  "secrets-store-csi-driver|driver/SecretsStore.Driver/SecretsStore.Driver.csproj|secrets-store-csi-driver|0|aot|tls"
  "secrets-store-csi-driver-crds||kubectl|65532|static|crds"
  "vault-csi-provider|providers/Csi.Providers.Vault/Csi.Providers.Vault.csproj|vault-csi-provider|65532|aot|tls,certs"
  "secrets-store-csi-driver-provider-azure|providers/Csi.Providers.Azure/Csi.Providers.Azure.csproj|secrets-store-csi-driver-provider-azure|65532|aot|tls,certs"
  "secrets-store-csi-driver-provider-aws|providers/Csi.Providers.Aws/Csi.Providers.Aws.csproj|secrets-store-csi-driver-provider-aws|65532|aot|tls,certs"
  "local-volume-csi-driver|driver/LocalVolume.Driver/LocalVolume.Driver.csproj|local-volume-csi-driver|0|aot|fstools"
  # root: it connects to the CSI socket the (root) node plugin creates beside it, as upstream's sidecars do.
  "csi-provisioner|provisioner/Csi.Provisioner/Csi.Provisioner.csproj|csi-provisioner|0|aot|tls"
)

# The file-system tools the local-volume driver runs (mkfs, grow, probe); copied from this machine with their libraries.
fstools=(mkfs.btrfs btrfs mkfs.xfs xfs_growfs mkfs.ext4 resize2fs blkid)

cache=$(ldconfig -p)
work=$(mktemp -d)
trap 'buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs rm --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bah() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }

# Publishes like tests/Csi.Testing/AotPublisher.cs. Callers hold the lock that AotPublisher takes
# (artifacts/aot/.publish.lock) while they check, publish and copy, so a test process never rewrites a binary
# this script is reading, and neither publishes what the other has just published.
publish() {
  local project=$1 binary=$2
  dotnet publish "$root/$project" -c Release -r linux-x64 -p:PublishAot=true -o "$aot/$binary" \
    -p:UseArtifactsOutput=true -p:ArtifactsPath="$aot/build" -nodeReuse:false -p:UseSharedCompilation=false --nologo >"$work/publish-$binary.log" 2>&1 \
    || { tail -n 30 "$work/publish-$binary.log" >&2; return 1; }
}

# Self-contained, not trimmed (trimming meets the same reflection as Native AOT), no symbols.
publish_self_contained() {
  local project=$1 binary=$2
  dotnet publish "$root/$project" -c Release -r linux-x64 --self-contained -p:PublishAot=false -p:DebugType=none \
    -o "$selfcontained/$binary" -p:UseArtifactsOutput=true -p:ArtifactsPath="$selfcontained/build" \
    -nodeReuse:false -p:UseSharedCompilation=false --nologo >"$work/publish-$binary.log" 2>&1 \
    || { tail -n 30 "$work/publish-$binary.log" >&2; return 1; }
}

# True when a source of the suite changed after the binary was published.
stale() {
  [ ! -x "$1" ] || [ -n "$(find common driver providers provisioner Directory.Build.props Directory.Packages.props \( -name bin -o -name obj \) -prune \
    -o -newer "$1" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print -quit)" ]
}

# Copies a file and the libraries it links to (ldd) into the rootfs at the same paths.
copy_with_libraries() {
  local file=$1 rootfs=$2 destination=$3
  install -D -m 0755 "$file" "$rootfs$destination"
  ldd "$file" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}' | while read -r library; do
    copy_library "$library" "$rootfs"
  done
}

copy_library() {
  local library=$1 rootfs=$2
  [ -e "$rootfs$library" ] && return 0
  install -D -m 0755 "$(readlink -f "$library")" "$rootfs$library"
}

for entry in "${images[@]}"; do
  IFS='|' read -r name project binary user kind extras <<<"$entry"
  if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then
    continue
  fi
  rootfs="$work/$name"
  mkdir -p "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  case "$kind" in
    aot)
      source_binary="$aot/$binary/$binary"
      ( flock 9
        if stale "$source_binary"; then echo "build.sh: publishing $binary"; publish "$project" "$binary"; fi
        copy_with_libraries "$source_binary" "$rootfs" "/$binary"
      ) 9>"$aot/.publish.lock"
      entrypoint="/$binary"
      payload=$(stat -c %s "$rootfs/$binary")
      ;;
    self-contained)
      source_binary="$selfcontained/$binary/$binary"
      mkdir -p "$rootfs/app"
      ( flock 9
        if stale "$source_binary"; then echo "build.sh: publishing $binary (self-contained)"; publish_self_contained "$project" "$binary"; fi
        cp -a "$selfcontained/$binary/." "$rootfs/app/"
      ) 9>"$selfcontained/.publish.lock"
      find "$rootfs/app" \( -name '*.pdb' -o -name '*.dbg' -o -name '*.xml' \) -delete
      # The runtime's own native libraries link to libstdc++, libgcc_s, libm, libc: copy what they and the host need.
      for file in "$rootfs/app/$binary" "$rootfs"/app/*.so; do
        ldd "$file" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}' | while read -r library; do copy_library "$library" "$rootfs"; done
      done
      entrypoint="/app/$binary"
      payload=$(du -sb "$rootfs/app" | cut -f1)
      ;;
    static)
      source_binary="$root/tests/tools/bin/$binary"
      [ -x "$source_binary" ] || "$root/tests/tools/install-kube-tools.sh" >/dev/null
      install -D -m 0755 "$source_binary" "$rootfs/$binary"
      entrypoint="/$binary"
      payload=$(stat -c %s "$source_binary")
      ;;
  esac
  env=()
  if [[ ",$extras," == *",tls,"* ]]; then
    # .NET loads OpenSSL at run time (dlopen), so ldd does not list it.
    for soname in libssl.so.3 libcrypto.so.3; do
      # (awk reads a saved copy: quitting early on a pipe would kill ldconfig with SIGPIPE and, with pipefail, this script)
      library=$(awk -v s="$soname" '$1 == s && /x86-64/ && !found {print $NF; found = 1}' <<<"$cache")
      [ -n "$library" ] || { echo "build.sh: $soname not found on this machine (apt-get install libssl3)" >&2; exit 1; }
      copy_library "$library" "$rootfs"
    done
  fi
  if [[ ",$extras," == *",certs,"* ]]; then
    install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    env+=(--env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --env SSL_CERT_DIR=/etc/ssl/certs)
  fi
  if [[ ",$extras," == *",crds,"* ]]; then
    install -D -m 0644 -t "$rootfs/crds" charts/secrets-store-csi-driver/crds/*.yaml
  fi
  if [[ ",$extras," == *",fstools,"* ]]; then
    for tool in "${fstools[@]}"; do
      path=$(command -v "$tool") || { echo "build.sh: $tool not found on this machine (btrfs-progs, xfsprogs, e2fsprogs, util-linux)" >&2; exit 1; }
      copy_with_libraries "$(readlink -f "$path")" "$rootfs" "/usr/sbin/$tool"
    done
    [ -f /etc/mke2fs.conf ] && install -D -m 0644 /etc/mke2fs.conf "$rootfs/etc/mke2fs.conf"
    env+=(--env PATH=/usr/sbin:/usr/bin)
  fi
  # Without ld.so.cache the loader still finds the libraries: they sit in the multiarch directories it searches.
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
  mkdir -p "$rootfs/home/nonroot" && chown 65532:65532 "$rootfs/home/nonroot"

  container=$(bah from scratch)
  bah copy --quiet "$container" "$rootfs/" / >/dev/null
  bah config --entrypoint "[\"$entrypoint\"]" --cmd '' --user "$user:$user" --workingdir / "${env[@]}" \
    --label org.opencontainers.image.title="$name" --label org.opencontainers.image.version="$tag" \
    --os linux --arch amd64 "$container"
  rm -f "$out/$name.tar"
  bah commit --quiet --format oci --disable-compression=false --rm "$container" "oci-archive:$out/$name.tar:$prefix/$name:$tag" >/dev/null
  rm -rf "$rootfs"
  awk -v n="$name" -v i="$(stat -c %s "$out/$name.tar")" -v b="$payload" -v f="$out/$name.tar" \
    'BEGIN { printf "%-42s image %6.1f MiB  binary %6.1f MiB  %s\n", n, i / 1048576, b / 1048576, f }'
done
