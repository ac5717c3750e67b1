#!/usr/bin/env bash
# Builds the server and operator images from the project's Dockerfiles with buildah (no daemon, no
# registry) and writes them as docker-archive tars:
#   build-images.sh [OUT_DIR]        default OUT_DIR: ~/.cache/corral/images
# Prints the two tar paths on its last two lines. Image names: localhost/corral/server:dev and
# localhost/corral/operator:dev (CORRAL_IMAGE_TAG changes the tag).
#
# No base image can be pulled here, so the Dockerfiles get their bases as build arguments: a minimal
# Debian bookworm root made from Debian's packages by mmdebstrap (cached), and for the operator the
# same root with a Java 25 runtime linked (jlink) from the JDK the build uses. The distributions are
# built on this machine first (Maven) and passed as the build context (DIST=context).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-${CORRAL_CACHE:-$HOME/.cache/corral}/images}
tag=${CORRAL_IMAGE_TAG:-dev}
cache=${CORRAL_CACHE:-$HOME/.cache/corral}/images
say() { echo "build-images: $*" >&2; }
[ "$(id -u)" = 0 ] || { say "must run as root (buildah's chroot isolation)"; exit 1; }
need=()
for pkg in buildah mmdebstrap; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ "${#need[@]}" -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
. "$root/server-image/src/build/find-java25.sh"
corral_find_java25 || exit 78
export JAVA_HOME=$CORRAL_JAVA_HOME
mkdir -p "$out" "$cache"
began=$(date +%s)

# 1. The Debian root, from Debian's own packages. patchelf: GraalPy copies each native module per
# interpreter with it when a bundle sets "nativeModules" (docs/bundles.md). The names follow the list.
packages=ca-certificates,patchelf
packages_tag=$(echo "$packages" | sha256sum | cut -c1-8)
rootfs=$cache/debian-bookworm-minbase-$packages_tag.tar
if [ ! -s "$rootfs" ]; then
  say "making a minimal Debian bookworm root with mmdebstrap ($packages)"
  mmdebstrap --quiet --variant=minbase --include="$packages" bookworm "$rootfs.partial" http://deb.debian.org/debian
  mv "$rootfs.partial" "$rootfs"
fi
base=localhost/corral/debian:bookworm-$packages_tag
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  ctr=$(buildah from scratch)
  buildah add "$ctr" "$rootfs" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/sh "$ctr"
  buildah commit --quiet --rm "$ctr" "$base" >/dev/null
  say "base $base from $rootfs"
fi

# 2. The same root with a Java 25 runtime where eclipse-temurin keeps it, for the operator.
# The modules the operator and its libraries use (jdeps over its lib/, plus the JDK HTTP server of its
# /metrics and probes and the providers loaded by name); the tag follows the list.
modules=java.se,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported,jdk.zipfs,jdk.naming.dns
jre_base=localhost/corral/debian-jre:25-$(echo "$modules" | sha256sum | cut -c1-8)-$packages_tag
if ! buildah inspect --type image "$jre_base" >/dev/null 2>&1; then
  jre=$(mktemp -d)/jre
  "$CORRAL_JAVA_HOME/bin/jlink" --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages --output "$jre"
  ctr=$(buildah from "$base")
  buildah copy "$ctr" "$jre" /opt/java/openjdk >/dev/null
  buildah config --env JAVA_HOME=/opt/java/openjdk \
    --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  buildah commit --quiet --rm "$ctr" "$jre_base" >/dev/null
  rm -rf "$(dirname "$jre")"
  say "base $jre_base (jlink of $CORRAL_JAVA_HOME)"
fi

# 3. The distributions, built here.
say "building the server and operator distributions"
"$root/mvnw" -B -q -f "$root/pom.xml" -pl server-image,operator -am -DskipTests -Dcorral.aot.seconds=0 package

# 4. The images, from the project's Dockerfiles.
for image in server operator; do
  dockerfile=$root/server-image/Dockerfile
  [ "$image" = operator ] && dockerfile=$root/operator/Dockerfile
  base_arg=$base
  [ "$image" = operator ] && base_arg=$jre_base
  name=localhost/corral/$image:$tag
  say "buildah bud $name"
  buildah bud --quiet --isolation chroot --layers=false --pull=never -f "$dockerfile" \
    --build-arg DIST=context --build-arg BASE_IMAGE="$base_arg" --build-arg BUILD_IMAGE="$base" -t "$name" "$root" >/dev/null
  rm -f "$out/$image.tar"
  buildah push --quiet "$name" "docker-archive:$out/$image.tar:$name" >/dev/null
  say "$name: $(du -m "$out/$image.tar" | cut -f1) MiB archive"
done
say "built in $(( $(date +%s) - began )) s"
echo "$out/server.tar"
echo "$out/operator.tar"
