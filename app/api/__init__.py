"""The JSON API under /api/v1: the same commands as the screens, for integrations."""
