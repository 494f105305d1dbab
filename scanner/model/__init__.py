"""The snapshot (what AWS said) and the linked model (facts derived from it)."""
