"""The kiosk server (python scripts/kiosk_server.py): the site's files plus the relay that
carries a drawing pad's updates to a display. Standard library only."""
