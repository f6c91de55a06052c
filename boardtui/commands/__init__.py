"""Sub-commands kept in their own modules and registered on the `boardtui` group in cli.py."""
