"""Models of this domain (SQLAlchemy 2 typed ORM)."""
