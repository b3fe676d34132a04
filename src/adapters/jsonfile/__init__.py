"""Files in the documented JSON formats (catalog import and export)."""

from adapters.jsonfile.catalog import FORMAT, read_catalog, write_catalog

__all__ = ["FORMAT", "read_catalog", "write_catalog"]
