"""Files `auditor init` copies into a new site folder."""
