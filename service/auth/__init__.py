"""Authentication (client secrets, access tokens) and authorisation (who may call what)."""
