"""Background jobs: long work (large PDF and Word reports, large imports) run by workers,
with the app's own record of each job (state, step, percentage, heartbeat, result file)
and the app's own schedule. Features hand work over by name (a Tasks API task of theirs);
nothing here imports a feature."""
