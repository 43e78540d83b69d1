"""API routers, one module per area; each exposes ``build_router(settings)``."""
