#!/usr/bin/env bash
# A single-node Kubernetes from upstream binaries, on this machine, inside a network namespace:
#   cluster.sh up       build or reuse the binaries, start everything, wait until the node is Ready,
#                       print the kubeconfig path on the last line
#   cluster.sh down     stop every process `up` started (by recorded pid) and remove its state
#   cluster.sh status   what is running
#   cluster.sh image-import TAR...   import image archives into the node's containerd (k8s.io namespace)
#
# Layout, all as root: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd + runc,
# the kubelet (cgroupfs driver, cgroup v1), the CNI bridge and kube-proxy (iptables) run inside the
# network namespace "corral" (nsenter --net, so the mount namespace stays shared: the kubelet's volume
# mounts must be seen by containerd). Every cluster address (node 10.200.0.1 on the namespace's lo,
# pods 10.244.0.0/24, services 10.96.0.0/12) exists only in there. The host reaches the API server
# only through 127.0.0.1:$CORRAL_CLUSTER_API_PORT, a socat pair joined by a Unix socket.
#
# Settings: CORRAL_CLUSTER_STATE (default /var/lib/corral-cluster), CORRAL_CLUSTER_API_PORT (16443),
# CORRAL_CACHE (where build-binaries.sh keeps the binaries).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${CORRAL_CLUSTER_STATE:-/var/lib/corral-cluster}
api_port=${CORRAL_CLUSTER_API_PORT:-16443}
ns=corral
node=corral
node_ip=10.200.0.1
pod_cidr=10.244.0.0/24
service_cidr=10.96.0.0/12
pki=$state/pki
run_dir=$state/run
log_dir=$state/log
host_kubeconfig=$state/admin.kubeconfig
# Sandbox image name: containerd's default, so nothing else must name it.
pause_image=registry.k8s.io/pause:3.10.1
smoke_image=localhost/corral-smoke:1
load_image=localhost/corral-load:1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

say() { echo "cluster: $*" >&2; }
die() { say "$*"; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, cgroups, containerd)"; }

install_packages() {
  local need=()
  for pkg in containerd runc containernetworking-plugins iptables socat openssl; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    say "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# Starts a daemon inside the namespace; nsenter with only --net execs the command, so the pid is the daemon's.
start() {
  local name=$1; shift
  nohup nsenter --net=/run/netns/$ns -- "$@" >"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$run_dir/$name.pid"
}

start_on_host() {
  local name=$1; shift
  nohup "$@" >"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$run_dir/$name.pid"
}

alive() { [ -f "$run_dir/$1.pid" ] && kill -0 "$(cat "$run_dir/$1.pid")" 2>/dev/null; }

# wait_for SECONDS WHAT COMMAND...: polls until the command succeeds; on time-out shows the logs named in $watch.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    for name in ${watch:-}; do
      alive "$name" || { tail -n 30 "$log_dir/$name.log" >&2; die "$name exited while waiting for $what"; }
    done
    [ "$(date +%s)" -lt "$deadline" ] || { for name in ${watch:-}; do tail -n 20 "$log_dir/$name.log" >&2; done; die "timed out after ${limit}s waiting for $what"; }
    sleep 1
  done
}

kubectl_host() { "$bin/kubectl" --kubeconfig "$host_kubeconfig" "$@"; }

make_certificates() {
  mkdir -p "$pki"
  [ -f "$pki/ca.crt" ] && return
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=corral-local-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    sign() {
      local name=$1 subject=$2 ext=$3
      openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
      printf '%b\n' "$ext" >"$name.ext"
      openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -sha256 -extfile "$name.ext" \
        -out "$name.crt" 2>/dev/null
      rm -f "$name.csr" "$name.ext"
    }
    client='basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'
    sign apiserver "/CN=kube-apiserver" "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:10.96.0.1,IP:$node_ip"
    sign admin "/O=system:masters/CN=corral-admin" "$client"
    sign kubelet "/O=system:nodes/CN=system:node:$node" "$client"
    sign controller-manager "/CN=system:kube-controller-manager" "$client"
    sign scheduler "/CN=system:kube-scheduler" "$client"
    sign kube-proxy "/CN=system:kube-proxy" "$client"
    sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
}

kubeconfig() {
  local file=$1 user=$2 cert=$3 server=${4:-https://127.0.0.1:6443}
  local k=("$bin/kubectl" --kubeconfig "$file")
  "${k[@]}" config set-cluster corral --certificate-authority="$pki/ca.crt" --embed-certs=true --server="$server" >/dev/null
  "${k[@]}" config set-credentials "$user" --client-certificate="$pki/$cert.crt" --client-key="$pki/$cert.key" --embed-certs=true >/dev/null
  "${k[@]}" config set-context default --cluster=corral --user="$user" >/dev/null
  "${k[@]}" config use-context default >/dev/null
}

write_configs() {
  kubeconfig "$state/admin-in-ns.kubeconfig" corral-admin admin
  kubeconfig "$host_kubeconfig" corral-admin admin "https://127.0.0.1:$api_port"
  kubeconfig "$state/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
  kubeconfig "$state/scheduler.kubeconfig" system:kube-scheduler scheduler
  kubeconfig "$state/kubelet.kubeconfig" "system:node:$node" kubelet
  kubeconfig "$state/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
  cat >"$state/scheduler.yaml" <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection: {kubeconfig: $state/scheduler.kubeconfig}
leaderElection: {leaderElect: false}
EOF
  mkdir -p "$state/cni/net.d"
  # One bridge inside the namespace; nothing leaves it, so no masquerading.
  cat >"$state/cni/net.d/10-corral.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "corral",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$state/cni/networks",
              "ranges": [[{"subnet": "$pod_cidr", "gateway": "10.244.0.1"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}
  ]
}
EOF
  cat >"$state/containerd.toml" <<EOF
version = 2
root = "$state/containerd"
state = "$state/containerd-state"
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$state/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  stream_server_address = "127.0.0.1"
  disable_apparmor = true
  enable_selinux = false
  netns_mounts_under_state_dir = true
  tolerate_missing_hugetlb_controller = true
  # These machines withhold CAP_SYS_RESOURCE: oom_score_adj can only rise, so the kubelet's -998 for
  # sandboxes is clamped to what the process already has instead of failing every pod.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$state/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$state/cni/net.d"
    max_conf_num = 1
EOF
  cat >"$state/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupsPerQOS: true
cgroupRoot: /
enforceNodeAllocatable: [pods]
failSwapOn: false
address: 0.0.0.0
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
# No cluster DNS here; the host's resolv.conf names a private address that must not reach pods.
resolvConf: ""
clusterDomain: cluster.local
# Images cannot be pulled again here: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", nodefs.inodesFree: "2%", imagefs.available: "2%", imagefs.inodesFree: "2%"}
podLogsDir: $state/pod-logs
volumePluginDir: $state/kubelet-plugins
rotateCertificates: false
EOF
  cat >"$state/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $state/kube-proxy.kubeconfig}
hostnameOverride: $node
mode: iptables
clusterCIDR: 10.244.0.0/16
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

# Images made of one program from e2e/cluster/tiny, as OCI layouts written by oci-image.sh (no daemon):
# the sandbox image, the smoke test's one-shot pod (localhost/corral-smoke:1), and the user-path suite's
# in-cluster HTTP client (localhost/corral-load:1).
import_tiny_images() {
  local program image
  for pair in "pause $pause_image" "hello $smoke_image" "load $load_image"; do
    read -r program image <<<"$pair"
    ctr -n k8s.io images ls -q 2>/dev/null | grep -qx "$image" && continue
    (cd "$here/tiny" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$state/tiny-$program" "./$program")
    "$here/oci-image.sh" "$state/tiny-$program" "$image" "$state/$program.tar" "/$program"
    ctr -n k8s.io images import "$state/$program.tar" >/dev/null
  done
}

up() {
  need_root
  install_packages
  if [ -f "$run_dir/etcd.pid" ] && alive etcd; then
    say "already up; kubeconfig:"
    echo "$host_kubeconfig"
    return
  fi
  if [ -d "$state" ] || ip netns list | grep -qw "^$ns"; then
    say "clearing what an earlier cluster left"
    down
  fi
  bin=$("$here/build-binaries.sh" | tail -n 1)
  local began=$(date +%s)
  mkdir -p "$state" "$run_dir" "$log_dir" "$state/etcd"
  echo "$bin" >"$state/bin-dir"
  # Host-wide settings the kubelet changes; restored by `down`.
  sysctl -n vm.overcommit_memory kernel.panic kernel.panic_on_oops vm.panic_on_oom | paste -sd' ' >"$state/sysctl.saved"
  sysctl -qw fs.inotify.max_user_instances=1024

  ip netns add $ns
  ip -n $ns link set lo up
  ip -n $ns addr add $node_ip/32 dev lo
  nsenter --net=/run/netns/$ns -- sysctl -qw net.ipv4.ip_forward=1
  nsenter --net=/run/netns/$ns -- sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true

  make_certificates
  write_configs

  start etcd "$bin/etcd" --name corral --data-dir "$state/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster corral=http://127.0.0.1:2380 --initial-cluster-state new
  start kube-apiserver "$bin/kube-apiserver" \
    --advertise-address=$node_ip --bind-address=0.0.0.0 --secure-port=6443 \
    --etcd-servers=http://127.0.0.1:2379 --service-cluster-ip-range=$service_cidr \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --client-ca-file="$pki/ca.crt" --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-signing-key-file="$pki/sa.key" --service-account-key-file="$pki/sa.pub"
  start apiserver-socket socat "UNIX-LISTEN:$run_dir/apiserver.sock,fork,unlink-early,mode=600" TCP:127.0.0.1:6443
  start_on_host apiserver-port socat "TCP-LISTEN:$api_port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$run_dir/apiserver.sock"
  watch="etcd kube-apiserver" wait_for 120 "the API server" kubectl_host get --raw /readyz
  say "API server ready after $(( $(date +%s) - began )) s"

  local cm=$state/controller-manager.kubeconfig
  start kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig="$cm" --authentication-kubeconfig="$cm" --authorization-kubeconfig="$cm" \
    --bind-address=127.0.0.1 --leader-elect=false --controllers='*' --use-service-account-credentials=true \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --service-cluster-ip-range=$service_cidr --allocate-node-cidrs=true --cluster-cidr=10.244.0.0/16 --node-cidr-mask-size=24
  local sc=$state/scheduler.kubeconfig
  start kube-scheduler "$bin/kube-scheduler" --config="$state/scheduler.yaml" \
    --authentication-kubeconfig="$sc" --authorization-kubeconfig="$sc" --bind-address=127.0.0.1

  start containerd /usr/bin/containerd --config "$state/containerd.toml"
  watch=containerd wait_for 60 "containerd" ctr version
  import_tiny_images
  start kubelet "$bin/kubelet" --config="$state/kubelet.yaml" --kubeconfig="$state/kubelet.kubeconfig" \
    --root-dir="$state/kubelet" --hostname-override=$node --node-ip=$node_ip --v=1
  watch="kubelet containerd kube-controller-manager" wait_for 180 "node $node to register" kubectl_host get node $node
  start kube-proxy "$bin/kube-proxy" --config="$state/kube-proxy.yaml" --v=1
  watch="kubelet containerd kube-controller-manager kube-proxy" wait_for 180 "node $node Ready" \
    kubectl_host wait --for=condition=Ready node/$node --timeout=5s
  watch="kube-controller-manager" wait_for 120 "the default service account" kubectl_host get serviceaccount default
  say "node $node Ready after $(( $(date +%s) - began )) s"
  echo "$host_kubeconfig"
}

# Processes of ours that outlive their parents: containerd's shims, whose working directory is a task
# bundle under our containerd state directory.
our_shims() {
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    local cwd
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
    case "$cwd" in "$state/containerd-state/"*) echo "$pid" ;; esac
  done
}

stop_pid() {
  local name=$1 file=$run_dir/$1.pid
  [ -f "$file" ] || return 0
  local pid
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  need_root
  if [ ! -d "$state" ]; then
    ip netns del $ns 2>/dev/null || true
    say "nothing to stop"
    return
  fi
  bin=$(cat "$state/bin-dir" 2>/dev/null || echo /nonexistent)
  if alive etcd && alive kube-apiserver && alive kubelet && [ -x "$bin/kubectl" ]; then
    # The kubelet does not stop pods when it exits: delete them while it can still act.
    timeout 45 "$bin/kubectl" --kubeconfig "$host_kubeconfig" delete pods --all -A --wait=true --timeout=40s >/dev/null 2>&1 || true
  fi
  stop_pid kube-proxy
  stop_pid kubelet
  if alive containerd; then
    for task in $(ctr -n k8s.io tasks ls -q 2>/dev/null); do ctr -n k8s.io tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true; done
  fi
  stop_pid containerd
  for pid in $(our_shims); do kill -9 "$pid" 2>/dev/null || true; done
  for name in kube-scheduler kube-controller-manager apiserver-port apiserver-socket kube-apiserver etcd; do stop_pid "$name"; done
  # Unmount what the kubelet and containerd mounted under the state directory, deepest first.
  awk -v s="$state" '$2 ~ "^"s {print $2}' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  ip netns del $ns 2>/dev/null || true
  # Pod cgroups the kubelet made, in every v1 hierarchy, deepest first (only empty ones can go).
  for h in /sys/fs/cgroup/*/kubepods; do
    [ -d "$h" ] && find "$h" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  if [ -f "$state/sysctl.saved" ]; then
    read -r overcommit panic oops oom <"$state/sysctl.saved"
    sysctl -qw vm.overcommit_memory="$overcommit" kernel.panic="$panic" kernel.panic_on_oops="$oops" vm.panic_on_oom="$oom" || true
  fi
  rm -rf "$state"
  say "stopped and removed $state"
}

status() {
  for f in "$run_dir"/*.pid; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .pid)
    if alive "$name"; then echo "$name running (pid $(cat "$f"))"; else echo "$name NOT running"; fi
  done
}

image_import() {
  need_root
  for tar in "$@"; do
    ctr -n k8s.io images import "$tar" >/dev/null
    say "imported $tar"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  image-import) shift; image_import "$@" ;;
  kubeconfig) echo "$host_kubeconfig" ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac
