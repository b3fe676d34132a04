"""Entry points: settings, the composition root, the ASGI app factory and the CLI."""
