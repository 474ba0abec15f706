"""The service's domain, one module per job, with no HTTP in it.

Each module holds plain functions over a `World` (the stores, the clock and the settings) that take
already-parsed request models and return the documented response dict or raise `ApiError`.
`activitysmith_mock.state.ServiceState` is the facade the routes call: it holds the lock and delegates here.

  entities    Device, ApiKey, Account, Activity, Stream, Recipients
  world       the stores, seeded from the config, plus the clock and settings
  accounts    authentication and billing blocks
  targeting   which devices a request reaches
  push        push notifications
  lifecycle   the steps every Live Activity shares: launch, apply, end, dismissal, the timer
  capacity    how many Live Activities a device can show at once
  legacy      the manual start/update/end lifecycle
  streams     the managed stream lifecycle (PUT/DELETE, rotation, pause)
  metrics     Lock Screen widget metric values
  badge       the App Icon Badge Count
  views       what the operator API shows of devices, activities and metrics
  taps        simulated taps on push actions and Live Activity buttons
"""
