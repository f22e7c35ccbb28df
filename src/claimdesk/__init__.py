"""claimdesk: turn scraped news pages into a reviewed, searchable record of who claimed what."""

__version__ = "0.1.0"
