"""The pure domain layer: money, dates, RAG rules, variance, slippage, quorum and text hygiene.

Nothing here imports Textual, Rich or any database module (tests/unit/test_import_hygiene.py checks it), so
every rule can be tested alone and used by the store, the exporters and the UI alike.
"""
