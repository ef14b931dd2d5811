"""The HTTP service: the Litestar app and every adapter (database, tokens, CLI)."""
