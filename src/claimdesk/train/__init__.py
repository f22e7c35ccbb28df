"""Training code: corpus readers and the commands that build the shipped weights."""
