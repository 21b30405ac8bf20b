"""Dependency audit for CI: exit 1 when an installed package has a known vulnerability.

pip-audit asks PyPI's JSON API about each installed release (/pypi/<name>/<version>/json).
Where that per-release page is not served (a PyPI mirror, as on our build machines),
pip-audit can only skip the package. This script then reads the project page
(/pypi/<name>/json), whose "vulnerabilities" are those of the newest release: exact when we
pin the newest release, a lower bound when we pin an older one. Those older pins are named
in the output, so they can be upgraded or checked by hand.

Usage: .venv/bin/python .ci/audit.py               # the packages installed in this venv
       .venv/bin/python .ci/audit.py -r reqs.txt   # pinned requirements (name==version)
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PYPI = "https://pypi.org/pypi"
OWN_PROJECT = "wijkkompas"
# Known vulnerabilities that do not apply to us, with the reason: {"PYSEC-...": "why"}.
IGNORED: dict[str, str] = {}


def run_pip_audit(extra_args: list[str]) -> list[dict]:
    command = [sys.executable, "-m", "pip_audit", "--vulnerability-service", "pypi", "--format", "json"]
    command += ["--progress-spinner", "off", *extra_args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if not result.stdout.strip():
        sys.exit(f"pip-audit failed:\n{result.stderr}")
    return json.loads(result.stdout)["dependencies"]


def newest_release_vulnerabilities(name: str) -> tuple[Version, list[dict]]:
    with urllib.request.urlopen(f"{PYPI}/{canonicalize_name(name)}/json", timeout=30) as response:
        project = json.load(response)
    return Version(project["info"]["version"]), project.get("vulnerabilities") or []


def main(argv: list[str]) -> int:
    extra_args = ["--requirement", argv[1], "--no-deps", "--disable-pip"] if argv[:1] == ["-r"] else []
    found: list[str] = []
    newest_only: list[str] = []
    unaudited: list[str] = []
    dependencies = [d for d in run_pip_audit(extra_args) if canonicalize_name(d["name"]) != OWN_PROJECT]

    for dependency in dependencies:
        name = dependency["name"]
        if "skip_reason" not in dependency:
            vulnerabilities = [(v["id"], v.get("fix_versions", [])) for v in dependency["vulns"]]
            label = f"{name} {dependency['version']}"
        else:
            # pip-audit could not ask about this release: fall back to the project page.
            try:
                version = Version(dependency["skip_reason"].rsplit("(", 1)[-1].rstrip(")"))
            except InvalidVersion:
                unaudited.append(f"{name}: {dependency['skip_reason']}")
                continue
            try:
                newest, vulns = newest_release_vulnerabilities(name)
            except (urllib.error.URLError, TimeoutError, ValueError) as error:
                unaudited.append(f"{name} {version}: {error}")
                continue
            vulnerabilities = [(v["id"], v.get("fixed_in", [])) for v in vulns if not v.get("withdrawn")]
            label = f"{name} {version}"
            if version < newest:
                newest_only.append(f"{name} {version} (newest {newest})")
        for vulnerability_id, fixed_in in vulnerabilities:
            if vulnerability_id not in IGNORED:
                found.append(f"{label}: {vulnerability_id}, fixed in {', '.join(fixed_in) or 'no release yet'}")

    print(f"Audited {len(dependencies)} packages against PyPI's vulnerability data.")
    if newest_only:
        print("Pinned below the newest release; checked against the newest release's data only:")
        print("".join(f"  {line}\n" for line in newest_only), end="")
    if unaudited:
        print("Could not be audited:")
        print("".join(f"  {line}\n" for line in unaudited), end="")
    if found:
        print("Known vulnerabilities:")
        print("".join(f"  {line}\n" for line in found), end="")
    else:
        print("No known vulnerabilities.")
    return 1 if found or unaudited else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
