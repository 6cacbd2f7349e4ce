"""Accounts: users, roles bound to countries or agencies, passwords, API tokens."""
