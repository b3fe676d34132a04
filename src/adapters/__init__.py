"""Adapters: one package per technology. Each implements a core port or drives the core."""
