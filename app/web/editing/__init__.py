"""Organizations keeping their own listings true: edit, confirm, history, their profile."""

from . import views

PAGES = (views.bp,)
