"""Renderers: they read a Diagnosis and never run rules."""
