"""Side effects at the edges: files, worker processes, DuckDB, the command line."""
