"""The fhir part's models."""
