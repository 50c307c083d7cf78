"""Language data and small word helpers, one module per language (only English today).

Every stage imports its word lists from here, so a table is written once and a
second language is a second module, not edits across the stages.
"""
