#!/opt/venv/bin/python -uBEs
"""Container post entry point (action.yml `post-entrypoint`): end this step's Live Activity on failure.

The runner starts it as `docker run --entrypoint /opt/action/post_entrypoint.py`, so the kernel reads the
interpreter from the line above: the image's venv Python with the main entrypoint's flags (-u unbuffered,
-B no .pyc, -E ignore PYTHON* variables, -s no user site-packages), written as one group because the kernel
passes everything after the interpreter as a single argument. A script path, like entrypoint.py, so
`sys.path[0]` is this file's directory, never the user's workspace.
"""

import sys

from activitysmith_action.post import main

if __name__ == "__main__":
    sys.exit(main())
