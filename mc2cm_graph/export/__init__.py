"""The exporters: each writes one artefact of the release from the store (pipeline.py runs
them all, then the catalogue)."""
