"""Checks and their lines: open a table, order, send to the kitchen."""
