"""The Nu HTML Checker (vnu.jar) finds no errors in any generated page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .conftest import REPO, require

VNU_VERSION = "26.9.27"  # keep in step with .ci/run
NODE = REPO / ".ci" / "node"
VNU_JAR = NODE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path | None:
    """The checker's jar, installed into the git-ignored .ci/node by npm when missing."""
    if not VNU_JAR.is_file() and shutil.which("npm"):
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(NODE),
                f"vnu-jar@{VNU_VERSION}",
            ],
            check=False,
            capture_output=True,
            timeout=300,
        )
    return VNU_JAR if VNU_JAR.is_file() else None


def test_nu_html_checker_finds_no_errors(built_site: Path) -> None:
    java = shutil.which("java")
    require(java is not None, "java is not installed (apt-get install default-jre-headless)")
    jar = vnu_jar()
    require(
        jar is not None, f"vnu.jar is missing (npm install --prefix .ci/node vnu-jar@{VNU_VERSION})"
    )
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    assert len(pages) > 20
    run = subprocess.run(
        [str(java), "-jar", str(jar), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages]
    assert problems == [], "\n".join(problems[:50])
