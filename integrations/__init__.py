"""Third-party integrations of HTX Market (no Django imports here)."""
