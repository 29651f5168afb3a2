"""Matching: "where can I send this client?" and a plan to hand over."""

from . import views

PAGES = (views.bp,)
