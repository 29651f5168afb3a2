"""Geography: postal-code geocoding, and later boundaries, spatial joins and maps."""
