"""The Spark job on local[2] gives the same stories and claims as the same stages run locally,
on the example stories (examples/) and two of our own.

Skipped, with the reason, when pyspark (``pip install 'manysides[spark]'``) or Java is missing.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO


def _spark_missing() -> str | None:
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark with pandas/pyarrow is not installed: pip install 'manysides[spark]'"
    if shutil.which("java") is None:
        return "no Java runtime: install OpenJDK 17 (apt-get install openjdk-17-jre-headless)"
    probe = subprocess.run(["java", "-version"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"java -version failed: {probe.stderr.strip()[:80]}"
    return None


MISSING = _spark_missing()

# two small stories of our own, beside the example story
OWN_ARTICLES = {
    "bridge-1.txt": "Harbour bridge in Velmora closed after cracks found\n\nEngineers closed the Velmora harbour "
                    "bridge on Monday after inspectors found cracks in two steel girders, Mayor Ilsa Brandt said.",
    "bridge-2.txt": "Velmora shuts harbour bridge over girder cracks\n\nThe harbour bridge in Velmora will stay shut "
                    "for weeks, Mayor Ilsa Brandt said, after cracks were found in steel girders.",
    "transfer-1.txt": "Striker Tomas Okafor joins Redhill United for record fee\n\nRedhill United signed striker "
                      "Tomas Okafor for a club-record fee on Tuesday, the club said.",
    "transfer-2.txt": "Redhill United complete record signing of Okafor\n\nTomas Okafor has completed his record "
                      "move to Redhill United, the striker's agent said.",
}


def summary(result):
    stories = {}
    for row in result.articles:
        stories.setdefault(row["story_id"], set()).add(row["article_id"])
    claims = sorted((row["article_id"], c["span"]["start"], c["span"]["end"], c["asserter"]["name"])
                    for row in result.articles for c in row["claims"])
    return sorted(map(sorted, stories.values())), claims


@pytest.mark.slow
@pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
def test_spark_job_matches_the_local_pipeline(tmp_path):
    from manysides.stories import spark_job

    own = tmp_path / "own"
    own.mkdir()
    for name, text in OWN_ARTICLES.items():
        (own / name).write_text(text)
    inputs = [str(REPO / "examples"), str(own)]
    local = spark_job.local_run(inputs)
    spark = spark_job.run(inputs, output=str(tmp_path / "out"), master="local[2]")
    assert summary(spark) == summary(local)
    stories, claims = summary(local)
    assert len(stories) == 5 and claims  # the three example stories and our two
    assert (tmp_path / "out" / "articles.parquet").is_dir()
