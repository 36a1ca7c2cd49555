"""One router per resource; every page has a JSON twin under /api/v1 built from the same data."""
