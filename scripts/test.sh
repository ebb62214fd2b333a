#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need first (scripts/test-services.sh).
set -uo pipefail
cd "$(dirname "$0")/.."

# Chromium, PostgreSQL, Redis, smtp4dev and nginx for the browser, database, backplane, e-mail and reverse-proxy tests.
eval "$(bash scripts/test-services.sh)" || exit 1
export IDCONTACT_TEST_POSTGRES IDCONTACT_TEST_REDIS IDCONTACT_TEST_SMTP_HOST IDCONTACT_TEST_SMTP_PORT IDCONTACT_TEST_SMTP_API

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build IdContact.slnx -warnaserror || exit 1
dotnet format IdContact.slnx --verify-no-changes --no-restore || { echo "dotnet format found unformatted code" >&2; exit 1; }
# One test assembly at a time (-m:1): run side by side on two cores, five test hosts, PostgreSQL and Chromium starved
# a browser navigation past Playwright's 30-second timeout.
# A test that hangs is stopped after 10 minutes (the longest test takes about one) and named in the output, instead
# of holding the run until CI's own limit (seen once, 2026-11-27, not reproduced).
dotnet test IdContact.slnx --no-build -m:1 --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
