"""The menu: categories, items, modifiers, prices, tax rates and kitchen stations."""
