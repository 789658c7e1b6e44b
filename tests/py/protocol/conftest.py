"""Fixtures of the protocol tests; they live in protocol_support.py, which test modules import by its
own name (every test directory has a conftest.py, so "conftest" names no single module)."""
from protocol_support import *  # noqa: F401,F403
