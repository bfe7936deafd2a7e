"""Reliability campaigns: each promise of DESIGN.md run many times, counted and reported.

Every campaign module offers one function that takes its counts and returns a
``CampaignResult``; ``tests/reliability/test_*.py`` call them with small counts
(scaled by ``OUVRAGE_RELIABILITY_SCALE``) and ``python -m bench.reliability``
with full counts, writing docs/RELIABILITY.md.
"""
