"""Summary stage: extractive summary built from claim groups, every sentence verified."""
