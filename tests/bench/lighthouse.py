"""`make lighthouse`: Lighthouse 12.2.3 scores (mobile profile) for the home, catalogue and product pages,
against `make serve` on PostgreSQL and Redis (scratch database ovop_load, demo data), behind nginx
with deploy/nginx.conf's gzip settings, as production serves phones (serving.nginx_in_front;
Debian's nginx). LIGHTHOUSE_DIRECT=1 audits gunicorn directly instead, HTML uncompressed.

Lighthouse comes from the npm registry into .lighthouse/ (gitignored) on first use; the browser is
Debian's Chromium (CHROME_PATH=/usr/bin/chromium). Each page is audited LIGHTHOUSE_RUNS (default 1)
times and the median score kept. Prints the four scores per page with PASS/FAIL against >= 95, and for
anything below 100 the audits that cost points, so the owner of the markup knows what to fix.
Exit status 0 only when every score is at least 95.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serving

VERSION = "12.2.3"
PREFIX = serving.ROOT / ".lighthouse"
BINARY = PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-default-apps --mute-audio"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 95
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "1"))
DIRECT = os.environ.get("LIGHTHOUSE_DIRECT", "") == "1"


def install() -> None:
    if BINARY.exists():
        version = subprocess.run([str(BINARY), "--version"], capture_output=True, text=True).stdout.strip()
        if version == VERSION:
            return
    serving.require("npm", "apt-get install npm (Debian's Node.js)")
    print(f"Installing lighthouse@{VERSION} into {PREFIX} ...", flush=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
        check=True,
    )


def audit(url: str, output: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; a run that fails to record its trace (NO_NAVSTART, NO_FCP happen now and
    then with headless Chromium on a busy machine) is tried again."""
    for attempt in range(1, attempts + 1):
        try:
            return _audit_once(url, output)
        except subprocess.CalledProcessError:
            if attempt == attempts:
                raise
            print(f"    Lighthouse failed on {url}; trying again ({attempt}/{attempts})", flush=True)
    raise AssertionError("unreachable")


def _audit_once(url: str, output: Path) -> dict:
    subprocess.run(
        [
            str(BINARY),
            url,
            "--quiet",
            "--form-factor=mobile",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={output}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--max-wait-for-load=45000",
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        check=True,
        timeout=240,
    )
    return json.loads(output.read_text())


def lost_points(report: dict, category: str) -> list[str]:
    """The audits with weight in this category that did not score fully, worst first."""
    audits = report["audits"]
    lost = []
    for ref in report["categories"][category]["auditRefs"]:
        result = audits[ref["id"]]
        score = result.get("score")
        if ref["weight"] > 0 and score is not None and score < 1:
            detail = result.get("displayValue") or ""
            items = (result.get("details") or {}).get("items") or []
            where = []
            for item in items[:3]:
                node = item.get("node") or {}
                where.append(node.get("snippet") or item.get("url") or node.get("selector") or "")
            where = [w for w in where if w]
            lost.append(
                (ref["weight"] * (1 - score), f"{result['title']} ({score:.2f}) {detail}".strip(), where)
            )
    lost.sort(key=lambda entry: -entry[0])
    return [
        f"{title}" + (f" — e.g. {'; '.join(w[:140] for w in where)}" if where else "")
        for _, title, where in lost
    ]


def main() -> int:
    if not Path(CHROME).exists():
        sys.exit(f"{CHROME} not found: apt-get install chromium (or set CHROME_PATH)")
    install()
    outdir = Path(tempfile.mkdtemp(prefix="ovop-lighthouse-"))
    with serving.make_serve() as server, contextlib.ExitStack() as stack:
        base = server.base if DIRECT else stack.enter_context(serving.nginx_in_front(server.base))
        product = server.shell_json(
            "import json; from catalogue.models import Product; "
            "p = Product.objects.published().order_by('pk').first(); print(json.dumps(p.get_absolute_url()))"
        )
        pages = {"home": "/", "catalogue": "/produk/", "product": product}
        for path in pages.values():  # warm the server (first requests of each worker)
            for _ in range(5):
                with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
                    response.read()
        results = {}
        for name, path in pages.items():
            reports = []
            for run in range(RUNS):
                print(f"  auditing {name} ({path}) run {run + 1}/{RUNS} ...", flush=True)
                reports.append(audit(base + path, outdir / f"{name}-{run}.json"))
            results[name] = (path, reports)

    front = "gunicorn directly (LIGHTHOUSE_DIRECT=1)" if DIRECT else "nginx (gzip) in front of gunicorn"
    print(f"\nLighthouse {VERSION}, mobile profile (simulated slow 4G, mid-range phone), Debian Chromium,")
    print(f"through {front}")
    print("| page       | performance | accessibility | best practices |  SEO | result |")
    print("|------------|-------------|---------------|----------------|------|--------|")
    all_passed = True
    notes = []
    for name, (_path, reports) in results.items():
        scores = {
            category: round(statistics.median(r["categories"][category]["score"] * 100 for r in reports))
            for category in CATEGORIES
        }
        passed = all(score >= TARGET for score in scores.values())
        all_passed &= passed
        print(
            f"| {name:<10} | {scores['performance']:>11} | {scores['accessibility']:>13} | "
            f"{scores['best-practices']:>14} | {scores['seo']:>4} | {'PASS' if passed else 'FAIL':<6} |"
        )
        middle = reports[len(reports) // 2]
        for category in CATEGORIES:
            if scores[category] < 100:
                for line in lost_points(middle, category)[:6]:
                    notes.append(f"  {name} {category}: {line}")
    print(f"\nTarget: every score >= {TARGET}. JSON reports kept in {outdir}")
    if notes:
        print("Audits that cost points:")
        print("\n".join(notes))
    print(f"\n{'ALL PASS' if all_passed else 'SOME TARGETS MISSED'}")
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
