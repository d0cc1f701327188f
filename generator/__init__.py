"""Reducing Reoffending Schemes: from YAML entries to a MkDocs site."""
