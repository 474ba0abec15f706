"""The preview page: what each phone of the account shows, live, in a browser at the service's root `/`.

timeline   every state each Live Activity passed through, with the request that caused it
feed       a change counter that the page's server-sent event stream waits on
recorder   after each request: snapshot the activities into the timeline, then announce the change
hook       the ASGI middleware that calls the recorder once a request has been answered
routes     `/` (the page), `/_preview/state` (what it renders), `/_preview/events` (SSE), static files
static/    the page itself: HTML, CSS and vanilla JS, served from the package (nothing from the network)
"""
