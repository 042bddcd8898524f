"""Signing in at a shared tablet: tap your name, enter your PIN; managers unlock PINs."""
