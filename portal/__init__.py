"""spoc-portal: the web portal of the European network of Heads of SPOC."""

from portal.app import create_app

__all__ = ["create_app"]
