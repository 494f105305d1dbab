"""One module per command: thin wiring from parsed arguments to collect, engine and report."""
