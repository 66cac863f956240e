"""Strategy pages, split by subject: versions and their lifecycle, the action plan,
duty compliance, and the public pages."""
