"""The carbon-account model and its accounting rules: pure Python, no I/O, no frameworks."""
