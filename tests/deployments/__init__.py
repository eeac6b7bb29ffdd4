"""Tests of the command line and the bundled configurations."""
