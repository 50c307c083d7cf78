"""Origins stage: wire copy, rewrites and relayed passages grouped into independent origins."""
