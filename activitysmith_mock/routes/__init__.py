"""One APIRouter per API resource, plus the operator API (`/_mock/*`)."""
