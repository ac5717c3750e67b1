# Sourced, not run: sets CORRAL_JAVA_HOME to a JDK whose feature version is 25 or newer.
# Order: $JAVA_HOME, then the usual install folders. Fails with a message saying what to install.
# Used by ./dev and the bench scripts to build and run with the same JDK; the packaged server brings its
# own runtime (linked from this JDK) and does not need it.

corral_java_feature() {
  # Prints the feature version (17, 25, ...) of the JDK at $1, or nothing.
  [ -x "$1/bin/java" ] || return 0
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

corral_find_java25() {
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/openjdk /opt/java/* /usr/local/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] || continue
    feature=$(corral_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 25 ] 2>/dev/null; then
      CORRAL_JAVA_HOME=$candidate
      export CORRAL_JAVA_HOME
      return 0
    fi
  done
  echo "corral: no JDK 25 found (looked at JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm, /opt/java)." >&2
  echo "corral: install a JDK 25, e.g. 'apt-get install temurin-25-jdk' or an OpenJDK 25 build, or set JAVA_HOME to one." >&2
  return 1
}
