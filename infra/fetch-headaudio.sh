#!/usr/bin/env bash
# Fetch HeadAudio's pretrained MFCC viseme prototypes (npm @met4citizen/headaudio, MIT) into an ignored folder.
# Only the model file and the licence are kept: the C# reader in services/Encoding/Content/HeadAudio
# reimplements the package's front end and classifier, so none of its JavaScript is needed at run time.
# Idempotent; pinned by version + integrity (npm's dist.integrity of the tarball).
set -euo pipefail
PKG=@met4citizen/headaudio
VER=0.1.0
INTEGRITY='sha512-94n+82/gYJ1kxisfEgAJcnx1fDbZjB/HDMCCXLh3QsNqJNZmOVzybgiJ5ctYEHlYdWkXS3je84do7wrHwzAlMQ=='
DEST=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.models/headaudio"}
STAMP="$DEST/headaudio-$VER.ok"
[ -f "$STAMP" ] && [ -f "$DEST/model-en-mixed.bin" ] && exit 0
command -v npm >/dev/null || { echo "fetch-headaudio: npm is required (apt-get install -y npm)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "$PKG@$VER" >/dev/null )
tgz="$tmp/met4citizen-headaudio-$VER.tgz"
got="sha512-$(sha512sum "$tgz" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
[ "$got" = "$INTEGRITY" ] || { echo "fetch-headaudio: integrity mismatch: $got" >&2; exit 1; }
mkdir -p "$DEST"
tar -xzf "$tgz" -C "$tmp" package/dist/model-en-mixed.bin package/LICENSE
mv -f "$tmp/package/dist/model-en-mixed.bin" "$tmp/package/LICENSE" "$DEST/"
touch "$STAMP"
echo "fetch-headaudio: $PKG@$VER -> $DEST ($(du -sh "$DEST" | cut -f1))"
