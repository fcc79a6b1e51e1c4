"""Reads pip-audit's JSON report (argument 1) and says plainly what was audited.

pip-audit prints "No known vulnerabilities found" even when it could not look a single
package up (no route to the advisory database: every dependency is "skipped"). That line
would pass for an audit, so this script counts: it fails on any known vulnerability, and
prints in capitals how many packages could not be audited.
"""

import json
import sys

with open(sys.argv[1]) as f:
    report = json.load(f)
deps = report["dependencies"]
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if "skip_reason" in d]
audited = len(deps) - len(skipped)
for d in vulnerable:
    ids = ", ".join(v["id"] for v in d["vulns"])
    fixed = ", ".join(v for vuln in d["vulns"] for v in vuln["fix_versions"])
    print(f"VULNERABLE: {d['name']} {d['version']}: {ids} (fixed in {fixed or 'no release'})")
print(f"dependency audit: {audited} of {len(deps)} packages audited, {len(vulnerable)} vulnerable")
if skipped:
    print(
        f"NOT AUDITED: {len(skipped)} packages could not be looked up "
        f"(advisory database unreachable?), e.g. {skipped[0]['skip_reason']}"
    )
sys.exit(1 if vulnerable else 0)
