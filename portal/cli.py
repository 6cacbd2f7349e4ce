"""The `spoc` command (the entry point of pyproject.toml, and `python -m portal.cli worker`): Flask's CLI
on the app that portal.app builds; the commands are the foundation's (portal/commands.py) and each
domain's (its cli.py, added in its init_app)."""

from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from portal.app import create_app

    return create_app()


main = FlaskGroup(name="spoc", create_app=_create_app, add_default_commands=False, load_dotenv=False,
                  add_version_option=False, help="spoc-portal: the Heads of SPOC network portal.")


if __name__ == "__main__":  # `python -m portal.cli worker`, as `spoc run --demo` starts its worker
    main()
