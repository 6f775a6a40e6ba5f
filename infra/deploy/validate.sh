#!/usr/bin/env bash
# Checks the deployment files without a cluster or a container engine: `helm lint --strict` and `helm template` of
# charts/pipeline under each shape it supports (GPU render pool or not, KEDA or a CPU autoscaler, a Secret of the
# chart's or the user's, an Ingress), yamllint over what it renders, and `docker-compose config` of
# docker-compose.yml. Prints what it checked; exits non-zero on the first failure.
# Tools: helm (infra/install-deps.sh puts it in .tools/helm/), yamllint and docker-compose (Debian packages).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HELM="${HELM:-$(command -v helm || echo "$ROOT/.tools/helm/helm")}"
for tool in "$HELM" yamllint docker-compose; do
  command -v "$tool" >/dev/null || { echo "validate: $tool is missing (infra/install-deps.sh installs it)" >&2; exit 2; }
done
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
LINT='{extends: relaxed, rules: {line-length: {max: 200}, trailing-spaces: enable}}'
TRIAL=(--set secrets.postgresPassword=p --set secrets.s3AccessKey=a --set secrets.s3SecretKey=s)

"$HELM" lint --strict charts/pipeline "${TRIAL[@]}" >/dev/null
echo "validate: helm lint --strict charts/pipeline: ok"
declare -A SHAPES=(
  [default]="${TRIAL[*]}"
  [cpu-keda-ingress]="--set existingSecret=mine --set render.gpu.enabled=false --set render.keda.enabled=true --set api.ingress.enabled=true"
)
for shape in "${!SHAPES[@]}"; do
  # shellcheck disable=SC2086
  "$HELM" template t charts/pipeline ${SHAPES[$shape]} > "$OUT/$shape.yaml"
  yamllint -d "$LINT" "$OUT/$shape.yaml"
  echo "validate: helm template ($shape): $(grep -c '^kind:' "$OUT/$shape.yaml") objects, yamllint ok"
done
if "$HELM" template t charts/pipeline >/dev/null 2>&1; then
  echo "validate: the chart rendered without any password or existingSecret" >&2; exit 1
fi
echo "validate: no password and no existingSecret is refused: ok"

yamllint -d "$LINT" docker-compose.yml charts/pipeline/values.yaml charts/pipeline/Chart.yaml
docker-compose -f docker-compose.yml config -q
echo "validate: docker-compose config: ok ($(docker-compose -f docker-compose.yml config --services | tr '\n' ' '))"
if [ -n "${VALIDATE_KEEP:-}" ]; then cp "$OUT"/*.yaml "$VALIDATE_KEEP"/; fi
