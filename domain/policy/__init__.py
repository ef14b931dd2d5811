"""政策集成: the city's policies as data (rules with their legal source), applied to an account."""
