#!/usr/bin/env bash
# JMH microbenchmarks of the server's hot paths. Builds them (profile bench), then runs JMH with the
# JIT flags the server's launcher uses, so GraalPy compiles as in production. JMH options pass through:
#   bench/jmh/run.sh                     # all: 3 forks x (3 warm-up + 5) iterations of 2 s (the classes say so)
#   bench/jmh/run.sh WsgiEnviron -f 1    # one benchmark, one fork
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/server-image/src/build/find-java25.sh"
corral_find_java25 || exit 78
"$root/dev" mvn -q -Pbench -pl server-image,bench/jmh -DskipTests package
jit="-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=$root/server-image/target/corral-server/jvmci --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
exec "$CORRAL_JAVA_HOME/bin/java" $jit -cp "$here/target/classes:$here/target/lib/*" org.openjdk.jmh.Main \
  -jvmArgsAppend "$jit" "$@"
