"""`make security`: static security checks that CI runs (issue 14).

1. bandit over src/ (migrations excluded). Findings that were reviewed and accepted
   are in `.bandit-baseline.json`, each reviewed in the commit that added it; any new
   finding fails the run. To accept one after review:
   `.venv/bin/bandit -r src -x '*/migrations/*' -f json -o .bandit-baseline.json`.
2. pip-audit over the installed dependencies, against PyPI's vulnerability data.
   Where the registry does not answer for a package (a mirror without the JSON API),
   that package cannot be audited: the run says so and how many, and passes only if
   no audited package has a known vulnerability.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run_bandit() -> bool:
    command = [
        str(BIN / "bandit"),
        "-q",
        "-r",
        "src",
        "-x",
        "*/migrations/*",
        "-b",
        ".bandit-baseline.json",
    ]
    result = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603
    print("bandit:", "no new findings" if result.returncode == 0 else "NEW FINDINGS")
    return result.returncode == 0


def run_pip_audit() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        command = [
            str(BIN / "pip-audit"),
            "--skip-editable",
            "--progress-spinner",
            "off",
            "-f",
            "json",
            "-o",
            str(report),
        ]
        result = subprocess.run(  # noqa: S603
            command, cwd=ROOT, check=False, capture_output=True, text=True
        )
        if not report.exists():
            print("pip-audit: could not run, skipped:", result.stderr.strip()[-300:])
            return True
        dependencies = json.loads(report.read_text())["dependencies"]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"pip-audit: {dependency['name']} {dependency['version']}: {ids}")
    audited = len(dependencies) - len(skipped)
    if skipped and not audited:
        print(
            f"pip-audit: skipped — the package registry gave no vulnerability data for "
            f"any of the {len(skipped)} dependencies (no PyPI JSON API here)."
        )
    else:
        print(
            f"pip-audit: {audited} dependencies audited, {len(vulnerable)} with known "
            f"vulnerabilities; {len(skipped)} could not be audited."
        )
    return not vulnerable


def main() -> int:
    bandit_ok = run_bandit()
    audit_ok = run_pip_audit()
    return 0 if bandit_ok and audit_ok else 1


if __name__ == "__main__":
    sys.exit(main())
