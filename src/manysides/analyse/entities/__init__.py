"""Entities stage: mentions recognised and corrected by the gazetteer, resolved across articles."""
