"""Camunda 7 external-task compatibility: the routes that let workers written against Camunda
7's REST protocol fetch, lock and complete Stead's jobs unchanged."""

from stead.api.camunda.routes import router

__all__ = ["router"]
