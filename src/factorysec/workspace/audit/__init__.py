"""Evidence: an append-only, hash-chained audit log of every change, sign-off, decision and login; decisions on findings and when they fall due; exports and a webhook for trackers."""
