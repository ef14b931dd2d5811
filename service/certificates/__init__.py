"""Certificates: issued by a job after a round, stored signed, downloaded, verified."""
