"""The back office's services outside the admin classes: the officers' "hari ini" panel (today.py),
the cohort selection (selection.py) and the curation reminders (curation.py)."""
