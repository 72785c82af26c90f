#!/usr/bin/env bash
# Known vulnerabilities in the pinned dependencies: pip-audit in a venv of its own (its dependencies
# never mix with the project's pins). Fails on a known vulnerability; where the vulnerability
# service cannot be reached (a registry mirror serves packages, not advisories) it says how many
# dependencies went unaudited instead of reporting a clean result it never checked. On the project's
# build machine neither service answers (checked 2026-12-06): OSV (the default) is unreachable, and
# `--vulnerability-service pypi` needs PyPI's per-version JSON (/pypi/NAME/VERSION/json), which the
# registry proxy there answers 404 (only /pypi/NAME/json, whose vulnerabilities are the latest
# release's, and /simple/ are served): every dependency comes back "not found on PyPI".
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-audit
.venv-audit/bin/pip install -q pip-audit==2.10.1
.venv/bin/pip freeze --exclude-editable | grep -v '^tradeties' > .venv-audit/requirements.txt
total=$(wc -l < .venv-audit/requirements.txt)
set +e
out=$(.venv-audit/bin/pip-audit --no-deps --disable-pip -r .venv-audit/requirements.txt 2>&1)
rc=$?
set -e
skipped=$(grep -c "could not be audited" <<<"$out" || true)
if [ "$rc" -ne 0 ]; then
  echo "$out"
  exit "$rc"
fi
if [ "$skipped" -ge "$total" ]; then
  echo "pip-audit: none of the $total pinned dependencies could be audited (no vulnerability data reachable from here)"
elif [ "$skipped" -gt 0 ]; then
  echo "pip-audit: $skipped of $total pinned dependencies could not be audited (no vulnerability data reachable from here); none of the rest has a known vulnerability"
else
  echo "pip-audit: $total pinned dependencies, no known vulnerability"
fi
