"""Accounts and administration: signing up and in, resets, API tokens, approving people."""

from . import admin, views

PAGES = (views.bp, admin.bp)
