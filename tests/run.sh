#!/usr/bin/env bash
# Builds everything, runs every test project, and ends with one line: "N passed, N failed, N skipped"
# summed over all projects (read from the TRX results, not from console text).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

if ! dotnet build Pipeline.sln -c Release -v quiet -clp:ErrorsOnly -nologo; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# End-to-end tests drive ./pipeline exactly as a user does; build it once up front, not inside a test.
./pipeline --help >/dev/null || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# The distributed tests run their own servers and a stack of seven services, and restart servers on purpose: they run
# after the rest, alone, so they neither slow the other end-to-end tests nor are slowed by them. The rest run side by
# side from a solution filter that leaves them out.
SEQUENTIAL=(tests/Pipeline.Distributed.Tests/Pipeline.Distributed.Tests.csproj)
FILTER="$ROOT/artifacts/parallel-tests.slnf"
{
  printf '{ "solution": { "path": "../Pipeline.sln", "projects": [\n'
  dotnet sln Pipeline.sln list | tail -n +3 | grep -vxF -f <(printf '%s\n' "${SEQUENTIAL[@]}") | sed 's/.*/    "&"/' | paste -sd, -
  printf '] } }\n'
} > "$FILTER"
dotnet test "$FILTER" -c Release --no-build --logger "trx" --results-directory "$RESULTS" "$@"
status=$?
for project in "${SEQUENTIAL[@]}"; do
  dotnet test "$project" -c Release --no-build --logger "trx" --results-directory "$RESULTS" "$@" || status=$?
done

passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # xunit records skipped and explicit-only tests as not executed, without always counting them in notExecuted.
  skipped=$((skipped + $(get total) - $(get executed)))
done

if [ "$files" = 0 ]; then
  echo "no test results were written"
  failed=$((failed + 1))
fi
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then
  failed=1  # the runner failed without a failing test (crash, build of a test host): never report green
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
