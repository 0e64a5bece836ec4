"""Jinja templates for written briefings, installed as ``diagnose.reports``.

Templates are data: they read a finished `Diagnosis` and never run rules.
"""
