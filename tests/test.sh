#!/usr/bin/env bash
# Sets up what the tests need (tests/prerequisites.sh) and runs them all. Arguments go to `dotnet test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tests/prerequisites.sh"
cd "$root"
exec dotnet test "$@"
