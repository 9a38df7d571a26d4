"""The gateway of the synchronous pattern: it validates requests and forwards them to the
separate model server, waiting for the answer (with a timeout on every call)."""
