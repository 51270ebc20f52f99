"""The import part's models."""
