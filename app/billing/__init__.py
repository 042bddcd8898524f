"""The bill: payments and closing a check."""
