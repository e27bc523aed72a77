#!/usr/bin/env bash
# Partitions CIFAR-10 for SuperNodes: datasets/cifar10_part_<k>/{train.bin,test.bin,partition.json}.
# Output goes under the current directory (the app directory); the jar is found next to this script.
#
#   scripts/prepare_dataset.sh [--num-partitions N] [--archive PATH]
#       [--partitioner iid|dirichlet [--alpha A]] [--seed S] [--out DIR] [--force]
#
# The archive (the official "CIFAR-10 binary version") is, in this order: --archive PATH,
# $CIFAR10_ARCHIVE, datasets/cifar-10-binary.tar.gz, else downloaded to that path.
# Every other option goes to the Java tool (io.fedsecure.supernode.data.PrepareDataset): --help.
set -euo pipefail

readonly URL="https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
readonly DEFAULT_ARCHIVE="datasets/cifar-10-binary.tar.gz"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${SUPERNODE_JAR:-$REPO/supernode/target/supernode.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

die() { echo "prepare_dataset: error: $*" >&2; exit 1; }

# Only --archive is looked at here (it decides whether to download); picocli parses the rest.
archive=""
forward=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --archive) [[ $# -ge 2 ]] || die "--archive needs a path"; archive="$2"; shift 2 ;;
    --archive=*) archive="${1#--archive=}"; shift ;;
    *) forward+=("$1"); shift ;;
  esac
done

run_tool() {
  exec "$JAVA" -Dloader.main=io.fedsecure.supernode.data.PrepareDataset -cp "$JAR" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@"
}

[[ -f "$JAR" ]] || die "$JAR not found: build first (./mvnw -q -o -pl supernode -am package -DskipTests) or set SUPERNODE_JAR"

for arg in "${forward[@]}"; do
  case "$arg" in -h|--help|-V|--version) run_tool "${forward[@]}" ;; esac
done

tmp=""
cleanup() { [[ -z "$tmp" ]] || rm -f "$tmp"; }
trap cleanup EXIT

if [[ -z "$archive" && -n "${CIFAR10_ARCHIVE:-}" ]]; then
  archive="$CIFAR10_ARCHIVE"
fi
if [[ -z "$archive" && -f "$DEFAULT_ARCHIVE" ]]; then
  archive="$DEFAULT_ARCHIVE"
fi
if [[ -z "$archive" ]]; then
  mkdir -p "$(dirname "$DEFAULT_ARCHIVE")"
  tmp="$(mktemp "$DEFAULT_ARCHIVE.part.XXXXXX")"
  echo "Downloading $URL ..." >&2
  if ! curl -fL --connect-timeout 20 -o "$tmp" "$URL"; then
    die "cannot download $URL (offline?): pass --archive PATH or set CIFAR10_ARCHIVE to a local cifar-10-binary.tar.gz"
  fi
  mv "$tmp" "$DEFAULT_ARCHIVE"
  tmp=""
  archive="$DEFAULT_ARCHIVE"
fi
[[ -f "$archive" ]] || die "archive $archive does not exist"

# A SHA256SUMS beside the archive (as in the shared data set) is checked when it lists it.
sums="$(dirname "$archive")/SHA256SUMS"
name="$(basename "$archive")"
if [[ -f "$sums" ]] && grep -q " \*\?$name\$" "$sums"; then
  (cd "$(dirname "$archive")" && grep " \*\?$name\$" SHA256SUMS | sha256sum --quiet -c -) \
    || die "$archive does not match its checksum in $sums"
fi

run_tool --archive "$archive" "${forward[@]}"
