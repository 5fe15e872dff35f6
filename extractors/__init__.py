"""Pure functions from PDF text to normalised text and mentions (no files written, no DB)."""
