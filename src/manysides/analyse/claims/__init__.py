"""Claims stage: quotes and their speakers, sides, quantities and check-worthy claims."""
