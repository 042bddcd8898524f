"""Kitchen display: tickets per station, fed live over websockets, bumped by cooks."""
