"""The page fixture for the browser tests (the browser itself is shared: tests/conftest.py)."""

import pytest
from page_helpers import TEST_CONTEXT


@pytest.fixture
def page(browser):
    """A fresh page at 1440x900 whose console errors and page errors are collected in page.errors."""
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()
