#!/usr/bin/env bash
# Builds the local cluster's upstream binaries from the Go modules beside this script, into a cache
# outside the repository, and reuses them when present:
#   kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy (kube/go.mod)
#   etcd (etcd/go.mod)
# Prints the binary directory on the last line of its output. CORRAL_CACHE moves the cache
# (default ~/.cache/corral). Versions live only in the two go.mod files.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kube_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$here/kube/go.mod")
etcd_version=$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" {print $3}' "$here/etcd/go.mod")
[ -n "$kube_version" ] && [ -n "$etcd_version" ] || { echo "build-binaries: cannot read the pinned versions" >&2; exit 1; }
bin=${CORRAL_CACHE:-$HOME/.cache/corral}/cluster-$kube_version-etcd-$etcd_version/bin
tools=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy)

missing=()
for t in "${tools[@]}" etcd; do [ -x "$bin/$t" ] || missing+=("$t"); done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "build-binaries: reusing $kube_version and etcd $etcd_version in $bin" >&2
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "build-binaries: needs the go command (Go 1.24 or newer)" >&2; exit 1; }
mkdir -p "$bin.partial"
start=$(date +%s)

# The version variables upstream's hack/lib/version.sh sets, so `kubectl version` tells the truth.
minor=${kube_version#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
done
echo "build-binaries: building Kubernetes $kube_version (${tools[*]}) into $bin" >&2
# CGO off: static binaries, as upstream releases them (kubelet included since 1.26).
(cd "$here/kube" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin.partial/" \
  $(printf 'k8s.io/kubernetes/cmd/%s ' "${tools[@]}"))
echo "build-binaries: building etcd $etcd_version" >&2
(cd "$here/etcd" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin.partial/etcd" .)
rm -rf "$bin" && mv "$bin.partial" "$bin"
echo "build-binaries: built in $(( $(date +%s) - start )) s" >&2
echo "$bin"
