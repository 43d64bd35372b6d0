"""Insights from the board's own data: what coding work pays, by slice."""
