"""Accounts: who is acting for which organization, and what each role may do."""
