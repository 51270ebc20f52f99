"""The api part's models."""
