#!/usr/bin/env bash
# The demo repository's test command for examples/ci-failure-alert.yml: one test fails, every time, so the
# workflow's `if: failure()` alert step runs. (scripts/run-example copies this directory into the workspace.)
echo "test_checkout_total ... ok"
echo "test_refund_rounding ... FAILED: expected 10.05, got 10.04" >&2
exit 1
