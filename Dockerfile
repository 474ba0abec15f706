# The ActivitySmith action's image. GitHub runs it as the step's container (docs/container.md).
#
# Base: the official Debian bookworm slim image of CPython 3.11, pinned by tag. In a published release, pin it by
# digest as well, so the tag cannot move under us (tags are mutable, digests are content addresses):
#   FROM python:3.11-slim-bookworm@sha256:<digest from `docker buildx imagetools inspect python:3.11-slim-bookworm`>
# This checkout keeps the bare tag because the digest cannot be resolved where the project is built and tested
# (no registry is reachable there: scripts/setup-docker tags a locally built stand-in under this exact name, and
# the container tests pass it as BASE_IMAGE).
ARG BASE_IMAGE=python:3.11-slim-bookworm

# --- stage 1: the dependencies, in a venv, from the hashed lock ------------------------------------------------
FROM ${BASE_IMAGE} AS deps
# Optional package index for builds behind a mirror; unset, pip uses its default. Never baked into the final image.
ARG PIP_INDEX_URL
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
COPY requirements/runtime.txt /tmp/runtime.txt
# --require-hashes + --no-deps: exactly the locked files, nothing resolved at build time. The venv's own pip and
# setuptools are removed afterwards: the action never installs anything at run time.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-cache-dir --require-hashes --no-deps --only-binary=:all: \
      -r /tmp/runtime.txt \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet pip setuptools \
 && rm /tmp/runtime.txt

# --- stage 2: the runtime: the base image + the venv + the action's code, nothing else ---------------------------
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="activitysmith-action" \
      org.opencontainers.image.description="GitHub Docker action for ActivitySmith push notifications and Live Activities" \
      org.opencontainers.image.licenses="MIT"
COPY --from=deps /opt/venv /opt/venv
# Only the two entrypoints and the package (the .dockerignore allow-list keeps everything else out of the context).
# post_entrypoint.py is action.yml's post-entrypoint: run directly by `docker run --entrypoint`, so it must be
# executable; its shebang gives the interpreter the same flags as the ENTRYPOINT below.
COPY entrypoint.py post_entrypoint.py /opt/action/
COPY activitysmith_action/ /opt/action/activitysmith_action/
# Byte-compile once here: at run time -B forbids writing .pyc files (root would leave them in the user's workspace).
RUN chmod 0755 /opt/action/post_entrypoint.py \
 && /opt/venv/bin/python -m compileall -q /opt/action/activitysmith_action
# No USER: the runner's file-command files and workspace belong to the runner's user; only root can write them.
# No WORKDIR reliance: the runner sets --workdir /github/workspace (the user's checkout).
# Exec form, absolute interpreter, script path (sys.path[0] = /opt/action, never the user's workspace),
# -u unbuffered (workflow commands in order), -B no .pyc, -E ignore leaked PYTHON* env, -s no user site-packages.
ENTRYPOINT ["/opt/venv/bin/python", "-u", "-B", "-E", "-s", "/opt/action/entrypoint.py"]
