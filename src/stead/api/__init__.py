"""Stead's HTTP API: the REST resources over the command layer, authentication and roles,
problem responses, and the live event stream."""

from stead.api.app import create_app
from stead.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
