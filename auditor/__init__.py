"""auditor: audit a blog for how conversational and community-minded its posts are."""

__version__ = "0.1.0"
