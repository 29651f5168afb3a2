"""Blueprints: the pages people read and the JSON API."""
