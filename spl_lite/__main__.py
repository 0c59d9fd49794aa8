import os
import sys

try:
    from .launch import main
except KeyboardInterrupt:  # Ctrl-C in the instant before the entry point can take it
    sys.stderr.write("Interrupted.\n")
    sys.stderr.flush()
    os._exit(130)

sys.exit(main())
