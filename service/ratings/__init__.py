"""Ratings: rounds, signed tokens, verification, objections."""
