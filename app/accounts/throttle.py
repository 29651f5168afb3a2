"""How many failed sign-ins are allowed, per account and per network address.

An attempt is counted before the password is checked, inside the same write transaction as
the check of the count, so attempts sent in parallel cannot all slip under the limit.
"""

WINDOW_SECONDS = 15 * 60


def keys(email, address):
    return (f"account:{email}", f"address:{address}")


def over_limit(counts, limits):
    """True when any key has used its allowance: ``counts`` and ``limits`` pair up by key."""
    return any(count >= limit for count, limit in zip(counts, limits))
