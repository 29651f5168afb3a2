"""The convenor dashboard's analysis: coverage, continuum, place and need, overlaps, data health.

Pure functions over program records (as the catalogue returns them, with the places the search
index derives) and the City's boundaries and Census figures: no Flask, no database, no browser.
``catalogue.build`` turns records into per-value masks once; every view then counts by masks
over a scope (the programs the current filters select), so a count is exactly the number of
programs the same filters find on /programs.
"""
