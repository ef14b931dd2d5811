"""The rating methodology: pure functions over domain values (one module per version)."""
