"""Password rules and hashing (scrypt)."""

from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 200
COMMON_FILE = Path(__file__).with_name("common-passwords.txt")


def common_passwords():
    return {line.strip().lower() for line in COMMON_FILE.read_text().splitlines() if line.strip()}


def problem(password, email=""):
    """Why a password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    if password.lower() in common_passwords():
        return "that is one of the most common passwords; choose another"
    if email and password.lower() == email.lower():
        return "do not use your email address as your password"
    return None


def hash_password(password):
    return generate_password_hash(password, method="scrypt")


def verify(password_hash, password):
    return bool(password_hash) and check_password_hash(password_hash, password)
