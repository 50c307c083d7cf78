"""Data files for the framing lexicons (see README.md)."""
