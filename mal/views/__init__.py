"""The commitment pages, one module per concern; mal/urls.py names each view by module."""
