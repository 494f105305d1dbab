"""Policy loading, validation, condition evaluation: policies judge, they never join."""
