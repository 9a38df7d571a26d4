"""The [[ cookiecutter.service_name ]] model service (stamped from templates/model-service)."""
