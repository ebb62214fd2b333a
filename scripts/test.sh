#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need first (scripts/test-services.sh).
# Ends with one line "N passed, N failed[, N skipped]" (.ci/run repeats it).
set -uo pipefail
cd "$(dirname "$0")/.."

# Chromium, PostgreSQL, Redis, smtp4dev and nginx for the browser, database, backplane, e-mail and reverse-proxy tests.
eval "$(bash scripts/test-services.sh)" || exit 1
export IDCONTACT_TEST_POSTGRES IDCONTACT_TEST_REDIS IDCONTACT_TEST_SMTP_HOST IDCONTACT_TEST_SMTP_PORT IDCONTACT_TEST_SMTP_API

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build IdContact.slnx -warnaserror || exit 1
dotnet format IdContact.slnx --verify-no-changes --no-restore || { echo "dotnet format found unformatted code" >&2; exit 1; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# A trx counter ("passed", "failed", "notExecuted") of one results file, 0 if the file is missing.
counter() { grep -o "$2=\"[0-9]*\"" "$1" 2>/dev/null | head -n1 | tr -dc '0-9' | sed 's/^$/0/'; }
# The methods of the failed tests in a results file, one per line (a theory's cases share theirs).
failed_methods() { grep -o '<UnitTestResult [^>]*outcome="Failed"' "$1" | grep -o 'testName="[^"(]*' | cut -d'"' -f2 | sort -u; }

# One test assembly at a time: run side by side on two cores, five test hosts, PostgreSQL and Chromium starved
# a browser navigation past Playwright's 30-second timeout.
# A test that hangs is stopped after 5 minutes (the longest test takes about one) and named in the output, instead
# of holding the run until CI's own limit (seen twice: 2026-11-27, and 2026-11-28 in a browser test; not reproduced).
# run PROJECT DIR [ARGS]: dotnet test's exit code; trx in $results/DIR/run.trx, output also in $results/DIR.log.
run() {
  local project=$1 dir=$2
  shift 2
  dotnet test "$project" --no-build --blame-hang-timeout 5m --blame-hang-dump-type none \
    --results-directory "$results/$dir" --logger "trx;LogFileName=run.trx" "$@" 2>&1 | tee "$results/$dir.log"
  return "${PIPESTATUS[0]}"
}
# Whether the run's test host crashed or hung, so that the tests after it never ran.
aborted() { grep -qE 'Test Run Aborted|host process (crashed|exited unexpectedly)' "$results/$1.log"; }

passed=0 failed=0 skipped=0 status=0 unexplained=0
declare -A failures=()
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  run "$project" "$name" "$@"
  code=$?
  trx="$results/$name/run.trx"
  if [ "$code" -ne 0 ] && aborted "$name"; then
    # Its test host crashed or hung (the blame collector names the test above): the project runs once more, whole, and
    # that run's results count. It gets no further retry.
    echo "The test host of $name crashed or hung: running $name once more, whole."
    run "$project" "$name-again" "$@"
    code=$?
    trx="$results/$name-again/run.trx"
    if [ "$code" -eq 0 ]; then
      echo "FLAKY (the test host of $name crashed or hung, then every test passed when run again)"
    else
      status=1 unexplained=1
    fi
  elif [ "$code" -ne 0 ]; then
    status=1
    if [ "$(counter "$trx" failed)" -gt 0 ]; then failures[$project]=$(failed_methods "$trx"); else unexplained=1; fi
  fi
  passed=$((passed + $(counter "$trx" passed)))
  failed=$((failed + $(counter "$trx" failed)))
  skipped=$((skipped + $(counter "$trx" notExecuted)))
done

# A few failed tests and nothing else wrong (no test host that still crashed): each failed test runs once more, alone.
# One that passes then is reported as flaky by name and counted as passed; one that fails again fails the run. As
# Playwright's own runner retries on CI: a browser test's timing on two shared cores is not the product's behaviour,
# and a flaky test found this way is still a defect to fix.
if [ "$status" -ne 0 ] && [ "$unexplained" -eq 0 ] && [ "$failed" -le 3 ]; then
  status=0
  for project in "${!failures[@]}"; do
    name=$(basename "$project" .csproj)
    filter=$(printf '%s\n' "${failures[$project]}" | sed 's/^/FullyQualifiedName=/' | paste -sd'|')
    echo "Running again once, alone: ${failures[$project]//$'\n'/, }"
    run "$project" "$name-retry" --filter "$filter"
    code=$?
    again="$results/$name-retry/run.trx"
    if [ "$code" -eq 0 ] && [ -f "$again" ] && [ "$(counter "$again" failed)" -eq 0 ] && [ "$(counter "$again" passed)" -gt 0 ]; then
      first=$(counter "$results/$name/run.trx" failed)
      passed=$((passed + first)); failed=$((failed - first))
      echo "FLAKY (failed, then passed when run again alone): ${failures[$project]//$'\n'/, }"
    else
      status=1
    fi
  done
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # a crashed or hung test host failed outside any counted test
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
