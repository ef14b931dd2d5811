"""`/v1/disclosures`: the public annual records, their feeds, and withholding."""
