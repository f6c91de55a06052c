"""boardtui: boards, committees and their PMO, in the terminal."""

__version__ = "0.1.0"
