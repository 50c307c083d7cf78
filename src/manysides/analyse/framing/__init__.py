"""Framing stage: wording per outlet, distinctive terms, loaded language, voices."""
