import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Compiled PDFs and workbooks go to a temporary directory, never the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
