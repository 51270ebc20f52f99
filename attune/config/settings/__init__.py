"""Settings modules: base (shared), local (make run), test, production.

Every value comes from the environment (see .env.example); the modules only choose defaults
that are safe for where they run. ADR 0004 explains the scheme.
"""
