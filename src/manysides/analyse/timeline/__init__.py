"""Times and timeline stages: time expressions normalised, dated claim groups on one timeline."""
