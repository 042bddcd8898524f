"""ESC/POS printing for kitchen stations and receipts (the kitchen issue builds it out)."""
