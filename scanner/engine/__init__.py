"""Policy loading, validation, condition evaluation: policies judge, they never join."""

from scanner.engine.config import Config, load_config
from scanner.engine.evaluate import evaluate, evaluation_time, judge
from scanner.engine.loader import load_policies, policy_files, validate_policy_files
from scanner.engine.policy import Policy, PolicyCase
from scanner.engine.policy_tests import CaseResult, run_policy_cases

__all__ = [
    "CaseResult",
    "Config",
    "Policy",
    "PolicyCase",
    "evaluate",
    "evaluation_time",
    "judge",
    "load_config",
    "load_policies",
    "policy_files",
    "run_policy_cases",
    "validate_policy_files",
]
