"""Print the API schema to storefront/graphql/schema.graphql (committed; a test fails when stale).

    python -m storefront.graphql.tools.print_schema
"""
from __future__ import annotations

from pathlib import Path

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def printed_schema() -> str:
    from graphql import print_schema

    from storefront.graphql.api import schema

    return print_schema(schema.graphql_schema) + "\n"


def main() -> None:
    import django

    django.setup()
    SCHEMA_FILE.write_text(printed_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")
    main()
