"""The DMN TCK conformance runner for Stead's FEEL implementation."""
