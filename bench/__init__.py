"""The tachyon_sdk benchmark harness: ``python -m bench`` (see ``bench/README.md``)."""
