"""The dining room: floors, tables and their live state."""
