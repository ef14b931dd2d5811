"""Persistence: engine, tables, repositories, roles, the embedded server."""
