"""Extension point: modules here run after a model version is registered.

Each defines ``after_register(target, metadata, created, params)`` (`training.registry.announce`
calls them in the declared order); data-model-versioning's MLflow tracking is one.
"""
