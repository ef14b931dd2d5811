"""融资服务 over HTTP: finance products, offers, financing requests and the finance bureau figures."""
