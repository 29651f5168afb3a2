"""Distances on the Earth's surface, for "programs near this client"."""

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(latitude, longitude, points):
    """Great-circle distance in km from one point to each row of ``points`` ([[lat, lon]])."""
    if not len(points):
        return np.zeros(0)
    lat1, lon1 = np.radians(latitude), np.radians(longitude)
    lat2, lon2 = np.radians(points[:, 0]), np.radians(points[:, 1])
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def nearest_site_km(latitude, longitude, site_docs, site_points, size):
    """Distance from the point to each document's nearest site (inf for documents with none)."""
    distances = np.full(size, np.inf)
    np.minimum.at(distances, site_docs, haversine_km(latitude, longitude, site_points))
    return distances
