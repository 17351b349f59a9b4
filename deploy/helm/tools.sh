#!/usr/bin/env bash
# Installs the chart checks' tools, pinned, into $HELIXGATE_STATE_DIR/tools (default .helixgate/tools), each
# only when missing (idempotent), and prints KEY='VALUE' lines on stdout:
#   HELM=…             helm, built with `go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION` (a few minutes, once)
#   KUBECONFORM=…      kubeconform, `go install github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION`
#   KUBE_VERSION=…     the Kubernetes version manifests are checked against
#   SCHEMA_LOCATION=…  kubeconform -schema-location for that version: JSON schemas made offline from the
#                      OpenAPI document (api/openapi-spec/swagger.json) in the k8s.io/kubernetes Go module of
#                      that version, fetched through the Go module proxy (GitHub, where kubeconform's schemas
#                      live, is not reachable from CI)
# Progress goes to stderr.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS=${HELIXGATE_STATE_DIR:-$ROOT/.helixgate}/tools
HELM_VERSION=v3.16.4
KUBECONFORM_VERSION=v0.6.7
KUBE_VERSION=1.31.3
BIN=$TOOLS/bin
say() { printf 'helm-tools: %s\n' "$*" >&2; }
mkdir -p "$BIN"
exec 9>"$TOOLS/helm-tools.lock"
flock 9

go_tool() { # name module-command version
  local out=$BIN/$1-$3
  if [ ! -x "$out" ]; then
    command -v go >/dev/null || { say "Go is needed to build $2@$3"; exit 1; }
    say "building $2@$3 (once)…"
    local start=$SECONDS gobin
    gobin=$(mktemp -d "$TOOLS/gobin.XXXXXX")
    (cd /tmp && GOBIN=$gobin GOFLAGS=-trimpath go install "$2@$3") >&2
    mv "$gobin/$1" "$out"
    rm -rf "$gobin"
    say "built $1 $3 in $((SECONDS - start)) s"
  fi
  echo "$out"
}

HELM=$(go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION")
KUBECONFORM=$(go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION")

SCHEMAS=$TOOLS/k8s-schemas/v$KUBE_VERSION-standalone-strict
if [ ! -f "$SCHEMAS/deployment-apps-v1.json" ]; then
  say "making Kubernetes $KUBE_VERSION JSON schemas from k8s.io/kubernetes@v$KUBE_VERSION's OpenAPI document…"
  dir=$(cd /tmp && go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -f "$dir/api/openapi-spec/swagger.json" ] || { say "no api/openapi-spec/swagger.json in k8s.io/kubernetes@v$KUBE_VERSION"; exit 1; }
  rm -rf "$SCHEMAS.tmp"
  node "$ROOT/deploy/helm/openapi2jsonschema.mjs" "$dir/api/openapi-spec/swagger.json" "$SCHEMAS.tmp"
  rm -rf "$SCHEMAS" && mv "$SCHEMAS.tmp" "$SCHEMAS"
fi
# single-quoted, so that `eval "$(bash deploy/helm/tools.sh)"` sets them in a shell
echo "HELM='$HELM'"
echo "KUBECONFORM='$KUBECONFORM'"
echo "KUBE_VERSION='$KUBE_VERSION'"
echo "SCHEMA_LOCATION='$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json'"
