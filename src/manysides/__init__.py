"""manysides: cross-source news briefings.

Importing the package stays light (no spaCy, torch or pyspark): heavy things
load inside the stage that needs them.
"""

__version__ = "0.1.0"
