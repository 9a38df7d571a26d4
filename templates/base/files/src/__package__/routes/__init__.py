"""Routers of the online API: every module here that defines `router` (a FastAPI APIRouter)
is included by `common.app.create_app(..., routes_package=...)`, sorted by module name."""
