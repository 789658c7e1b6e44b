"""Host tooling for the bmrt bare-metal IREE runtime: compile, simulate, client, evaluate, report."""
