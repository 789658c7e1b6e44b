"""Fixtures of the vm tests; they live in vm_support.py, which test modules import by its
own name (every test directory has a conftest.py, so "conftest" names no single module)."""
from vm_support import *  # noqa: F401,F403
