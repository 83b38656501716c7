"""Serves the site and relays a drawing pad to a display, for a kiosk or a tablet on the
local network (README, "Drawing pad on a tablet"). Standard library only.

    python scripts/kiosk_server.py --port PORT [--bind ADDRESS]

Binds to 127.0.0.1 unless told otherwise; prints the site's, the display's and the pad's URLs.
The code is in scripts/kiosk/: site_files (what may be served), relay (rooms, one pad each),
pad_update (the update format), rate_limit and server (HTTP).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kiosk.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
