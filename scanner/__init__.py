"""stormproof: a policy-as-code scanner for the resilience of AWS EC2 estates."""

__version__ = "0.1.0"
