"""Automated cross-check before dissemination: normalisation, key index, fuzzy matching, explained hits."""
