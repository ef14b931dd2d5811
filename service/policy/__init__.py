"""政策集成 use cases: policy sets, sheets, regulator lists, retrofit plans."""
