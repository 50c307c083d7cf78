"""Alignment stage: claims that state the same fact grouped, conflicts between groups, statuses."""
