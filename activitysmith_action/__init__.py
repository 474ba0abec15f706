"""GitHub Docker action for ActivitySmith push notifications and Live Activities."""

__version__ = "1.0.0"
