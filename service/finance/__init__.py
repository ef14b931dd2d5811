"""融资服务 use cases: finance products, offers, financing requests, the finance bureau's figures."""
