"""Signed webhooks to banks: endpoints, the outbox, delivery."""
