#!/usr/bin/env bash
# Where a server's CPU goes per request, thread group by thread group: user and system microseconds
# per request for each thread name (Linux comm, first 15 characters), around one wrk run.
#   bench/profile/thread-cpu.sh PID URL [SECONDS] [CONNECTIONS]
# Example, after warming the server up: bench/profile/thread-cpu.sh "$(pgrep -f dev.corral.server.Main)" http://127.0.0.1:8080/
set -euo pipefail
pid=${1:?usage: thread-cpu.sh PID URL [SECONDS] [CONNECTIONS]}
url=${2:?usage: thread-cpu.sh PID URL [SECONDS] [CONNECTIONS]}
seconds=${3:-8}
conns=${4:-100}
[ -d "/proc/$pid" ] || { echo "thread-cpu: no process $pid" >&2; exit 66; }
command -v wrk >/dev/null || { echo "thread-cpu: wrk is missing (apt-get install wrk)" >&2; exit 69; }
ticks=$(getconf CLK_TCK)

snapshot() {
  for task in /proc/"$pid"/task/*; do
    # comm may contain spaces; utime and stime are fields 14 and 15 of stat after the ")".
    printf '%s %s\n' "$(tr ' ' '_' < "$task/comm")" "$(sed 's/.*) //' "$task/stat" | awk '{print $12, $13}')"
  done | awk '{u[$1]+=$2; s[$1]+=$3} END {for (k in u) print k, u[k], s[k]}' | sort
}

before=$(snapshot)
out=$(wrk -t2 -c"$conns" -d"${seconds}s" "$url")
after=$(snapshot)
requests=$(echo "$out" | grep -oE '[0-9]+ requests in' | awk '{print $1}')
echo "$(echo "$out" | grep Requests/sec) over $requests requests"
join <(echo "$before") <(echo "$after") | awk -v n="$requests" -v hz="$ticks" '
  { u = ($4 - $2) * 1e6 / hz / n; s = ($5 - $3) * 1e6 / hz / n
    if (u + s >= 0.05) printf "%-16s user %6.2f us/req  system %6.2f us/req\n", $1, u, s }'
