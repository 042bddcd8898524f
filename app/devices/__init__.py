"""Devices: kitchen screens and print agents, paired with a one-time code, renamed, revoked."""
