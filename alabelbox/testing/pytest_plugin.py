"""pytest fixtures for the Labelbox emulator (filled in by the emulator work)."""
