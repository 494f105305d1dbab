"""The demo's accounts: named apart from the estate so building the command line imports no moto."""

MAIN_ACCOUNT = "123456789012"  # moto's default account: the demo's caller
LEDGER_ACCOUNT = "444455556666"  # a second account, whose zone names map to other zone ids
SCAN_ROLE = "stormproof-demo"  # assumed in the second account (moto trusts any caller)


def account_arguments() -> list[str]:
    """The ``scan`` flags that make the demo cover both accounts."""
    return ["--accounts", f"{MAIN_ACCOUNT},{LEDGER_ACCOUNT}", "--role-name", SCAN_ROLE]
