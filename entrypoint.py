"""Container entry point: run the action and exit with its code (the step's result).

Started as a script path (not `python -m`), so `sys.path[0]` is this file's directory and a `json.py` in
the user's workspace (the working directory) cannot shadow a standard module.
"""

import sys

from activitysmith_action.main import main

if __name__ == "__main__":
    sys.exit(main())
