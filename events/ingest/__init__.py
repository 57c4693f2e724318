"""Turning a saved live-blog page (plain text or HTML) into an Event with its Entries."""
