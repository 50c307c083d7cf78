import subprocess
import sys


def test_importing_manysides_loads_no_heavy_library():
    code = (
        "import sys, manysides, manysides.model, manysides.api, manysides.cli, manysides.analyse;"
        "heavy = [m for m in ('torch', 'pyspark', 'spacy', 'sentence_transformers') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
