"""Pure restaurant arithmetic and rules: no I/O, no framework, no database."""
