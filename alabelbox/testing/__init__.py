"""alabelbox.testing: a local, Labelbox-compatible emulator for tests, benchmarks and demos."""
