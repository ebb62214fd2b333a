#!/usr/bin/env bash
# Adds an EF Core migration for a schema change, one per provider (SQLite and PostgreSQL each keep their own set).
#   bash scripts/add-migration.sh <Name> [desk|installation]
# desk (default): a tenant's database (DeskDbContext); installation: the shared _installation database.
# Review the generated files under src/IdContact.Desk/Tenants/Migrations/{Sqlite,Postgres}/ and commit them.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bash scripts/add-migration.sh <Name> [desk|installation]}"
case "${2:-desk}" in
  desk) context=DeskDbContext; folder=Desk ;;
  installation) context=InstallationDbContext; folder=Installation ;;
  *) echo "second argument: desk or installation" >&2; exit 2 ;;
esac
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/IdContact.Desk --context "$provider$context" \
    --output-dir "Tenants/Migrations/$provider/$folder"
done
