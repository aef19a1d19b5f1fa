"""Models, job handlers and helpers for the durability tests (crashes, restarts, scale-out)."""
