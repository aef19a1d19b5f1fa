"""Integration tests: the runtime and store on real SQLite files and PostgreSQL databases."""
