"""Shared service plumbing: settings, JSON logging, request ids, metrics and the app factory."""
