"""A local stand-in for the ActivitySmith API, for offline tests and trying workflows."""

__version__ = "1.0.0"
