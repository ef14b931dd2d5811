"""披露: public annual disclosure records (docs/disclosure.md)."""
