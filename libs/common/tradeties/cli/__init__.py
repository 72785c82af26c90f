"""The tradeties command-line entry point."""
