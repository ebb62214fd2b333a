#!/usr/bin/env bash
# Runs every test. Installs what the tests need first (Chromium for the browser tests) when it is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing ${need_pkgs[*]} …"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "Please install: ${need_pkgs[*]} (sudo apt-get install -y ${need_pkgs[*]})" >&2
    exit 1
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build IdContact.slnx -warnaserror || exit 1
dotnet format IdContact.slnx --verify-no-changes --no-restore || { echo "dotnet format found unformatted code" >&2; exit 1; }
dotnet test IdContact.slnx --no-build "$@"
