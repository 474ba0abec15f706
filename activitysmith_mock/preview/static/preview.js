// The preview page: one phone per device, drawn from GET /_preview/state, redrawn when /_preview/events says
// something changed. Vanilla JS, nothing loaded from the network.
//
// Safety rule: every string from the service (titles, messages, URLs, request bodies) enters the page only
// as text (textContent, Node.append(string), setAttribute); never through innerHTML, and never as an href,
// src or class name. Colours become classes only through the fixed list of the API's colour names.
"use strict";

(() => {
  const COLOURS = ["lime", "green", "cyan", "blue", "purple", "magenta", "red", "orange", "yellow", "gray"];
  const DEFAULT_COLOUR = "blue"; // the API's default accent
  const MAX_SEGMENTS = 30; // more steps than this draw as a proportional bar
  const MAX_PUSHES = 50; // a phone lists its newest pushes; older ones are counted, not drawn
  // SF Symbols have no web font; these stand-ins are in common system fonts. Others show their name.
  const GLYPHS = {
    checkmark: "✓", xmark: "✕", exclamationmark: "⚠", star: "★", gear: "⚙", gearshape: "⚙",
    cloud: "☁", bolt: "⚡", heart: "♥", envelope: "✉", play: "▶", flag: "⚑", hammer: "⚒",
    info: "ℹ", house: "⌂", airplane: "✈", sun: "☀", umbrella: "☂", snowflake: "❄", keyboard: "⌨",
    command: "⌘", circle: "●", dollarsign: "$", eurosign: "€", sterlingsign: "£", arrow: "↻",
    "arrow.up": "↑", "arrow.down": "↓", "arrow.clockwise": "↻", "arrow.triangle.2.circlepath": "↻",
    "exclamationmark.triangle": "⚠", "xmark.octagon": "✕", "checkmark.seal": "✓",
  };

  const ui = {
    channel: "", // "" = every channel, else "account/channel"
    device: "", // "" = every device of the channel
    scrub: new Map(), // activity id -> index into its timeline states; absent = follow the live state
    openDetails: new Set(), // keys of <details> the user opened, kept across redraws
    dragging: false,
    pendingDraw: false,
  };
  let doc = null; // the last /_preview/state document
  let fetchedAt = 0; // performance.now() when it arrived (timers tick from there)
  let fetching = false;
  let fetchAgain = false;

  // ---- small DOM helpers ---------------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "data") for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function colourClass(name, fallback) {
    const colour = COLOURS.includes(name) ? name : fallback;
    return colour ? `c-${colour}` : "";
  }

  function glyphFor(symbol) {
    const parts = String(symbol).split(".");
    for (let n = parts.length; n > 0; n -= 1) {
      const key = parts.slice(0, n).join(".");
      if (Object.prototype.hasOwnProperty.call(GLYPHS, key)) return GLYPHS[key];
    }
    return null;
  }

  function icon(symbol, colour, extraClass) {
    if (!symbol) return null;
    const glyph = glyphFor(symbol);
    return el(
      "span",
      {
        class: ["icon", glyph ? "glyph" : "named", colourClass(colour, ""), extraClass || ""].join(" ").trim(),
        title: `SF Symbol: ${symbol}`,
        "aria-label": symbol,
        data: { symbol },
      },
      glyph || symbol,
    );
  }

  function number(value) {
    if (typeof value !== "number") return String(value);
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  }

  function clock(seconds) {
    const total = Math.max(0, Math.floor(seconds));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
  }

  function timeOf(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString([], { hour12: false });
  }

  function isWebUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s/]+/i.test(url);
  }

  function detailsKept(key, summary, body) {
    const details = el("details", { data: { key } }, el("summary", {}, summary), body);
    details.open = ui.openDetails.has(key);
    details.addEventListener("toggle", () => {
      if (details.open) ui.openDetails.add(key);
      else ui.openDetails.delete(key);
    });
    return details;
  }

  // ---- Live Activities -----------------------------------------------------------------------------------
  function bar(fraction, colour, label) {
    const pct = Math.max(0, Math.min(1, Number(fraction) || 0)) * 100;
    const fill = el("span", { class: `fill ${colour}` });
    fill.style.width = `${pct}%`;
    return el(
      "div",
      { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100,
        "aria-valuenow": Math.round(pct), "aria-label": label },
      el("span", { class: "track" }, fill),
      el("span", { class: "progress-label" }, label),
    );
  }

  function segments(state, accent) {
    const steps = Math.max(1, Number(state.number_of_steps) || 1);
    const current = Math.max(0, Math.min(steps, Number(state.current_step) || 0));
    const label = `${current}/${steps}`;
    if (steps > MAX_SEGMENTS) return bar(current / steps, accent, label);
    const stepColours = Array.isArray(state.step_colors) ? state.step_colors : [];
    const filledColour = state.step_color || state.color || DEFAULT_COLOUR;
    const cells = [];
    for (let i = 0; i < steps; i += 1) {
      const filled = i < current;
      const colour = filled ? colourClass(stepColours[i] || filledColour, DEFAULT_COLOUR) : "";
      cells.push(el("span", { class: `segment${filled ? " filled" : ""} ${colour}`.trim() }));
    }
    return el(
      "div",
      { class: "segmented" },
      el(
        "div",
        { class: "segments", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": steps,
          "aria-valuenow": current, "aria-label": `step ${label}` },
        cells,
      ),
      el("span", { class: "progress-label" }, label),
    );
  }

  function metricTiles(state, kind) {
    const list = Array.isArray(state.metrics) ? state.metrics : [];
    return el(
      "ul",
      { class: kind === "stats" ? "stats" : "metrics" },
      list.map((metric) => {
        const colour = colourClass(metric.color || state.color, kind === "stats" ? "" : DEFAULT_COLOUR);
        const gauge = typeof metric.value === "number" && metric.unit === "%" && kind === "metrics"
          ? bar(metric.value / 100, colour, "") : null;
        return el(
          "li",
          { class: `metric ${colour}`.trim() },
          el("span", { class: "metric-value" }, number(metric.value), metric.unit ? el("small", {}, metric.unit) : null),
          el("span", { class: "metric-label" }, metric.label),
          gauge,
        );
      }),
    );
  }

  function timer(view, live) {
    const state = view.content_state;
    const elapsed = Number(view.timer_elapsed_seconds) || 0;
    const running = live && view.status === "active" && state.is_running !== false;
    const countsDown = state.counts_down !== false && state.duration_seconds;
    const node = el("span", {
      class: "timer-value",
      data: { elapsed, running: running ? "1" : "0", countsDown: countsDown ? "1" : "0",
              duration: Number(state.duration_seconds) || 0 },
    });
    paintTimer(node, (performance.now() - fetchedAt) / 1000);
    return el(
      "div",
      { class: "timer" },
      node,
      el("span", { class: "timer-caption" }, countsDown ? "left" : "elapsed", state.is_running === false ? " · paused" : ""),
    );
  }

  function paintTimer(node, sinceFetch) {
    const elapsed = Number(node.dataset.elapsed) + (node.dataset.running === "1" ? sinceFetch : 0);
    const shown = node.dataset.countsDown === "1" ? Number(node.dataset.duration) - elapsed : elapsed;
    node.textContent = clock(shown);
  }

  function activityBody(view, live, accent) {
    const state = view.content_state || {};
    switch (state.type) {
      case "segmented_progress":
        return segments(state, accent);
      case "progress":
        if (state.percentage !== undefined && state.percentage !== null) {
          return bar(state.percentage / 100, accent, `${number(state.percentage)}%`);
        }
        if (typeof state.value === "number" && state.upper_limit) {
          return bar(state.value / state.upper_limit, accent, `${number(state.value)}/${number(state.upper_limit)}`);
        }
        return null;
      case "metrics":
      case "stats":
        return metricTiles(state, state.type);
      case "alert":
        return el("p", { class: "alert-message" }, state.message);
      case "timer":
        return timer(view, live);
      case "value":
        return el("div", { class: `value-readout ${accent}` }, number(state.value));
      default:
        return null;
    }
  }

  function activityFace(view, device, live) {
    const state = view.content_state || {};
    const accent = colourClass(state.color, DEFAULT_COLOUR);
    const ended = view.status === "ended";
    const buttons = ["action", "secondary_action"].filter((name) => view[name]);
    return el(
      "div",
      { class: "face" },
      el(
        "div",
        { class: "activity-head" },
        state.icon ? icon(state.icon.symbol, state.icon.color || state.color) : null,
        el(
          "div",
          { class: "titles" },
          el("div", { class: "activity-title" }, state.title),
          state.subtitle ? el("div", { class: "activity-subtitle" }, state.subtitle) : null,
        ),
        el("span", { class: `status ${ended ? "ended" : "live"}` }, ended ? "Ended" : "Live"),
      ),
      el("div", { class: "activity-body" }, activityBody(view, live, accent)),
      state.badge ? el("span", { class: `badge ${colourClass(state.badge.color, "gray")}` }, state.badge.title) : null,
      view.alert && (view.alert.title || view.alert.body)
        ? el("p", { class: "activity-alert" }, "Alert: ", [view.alert.title, view.alert.body].filter(Boolean).join(" — "))
        : null,
      buttons.length
        ? el(
            "div",
            { class: "buttons" },
            buttons.map((name) =>
              actionButton(view[name], state.type === "alert" ? accent : "", live
                ? { device: device.id, activity_id: view.activity_id, button: name }
                : null),
            ),
          )
        : null,
      view.stream_key ? el("p", { class: "stream-key" }, "stream ", el("code", {}, view.stream_key)) : null,
      ended && view.dismiss_at && live ? el("p", { class: "dismiss" }, `dismisses at ${timeOf(view.dismiss_at)}`) : null,
    );
  }

  function historyOf(activityId) {
    return (doc.timelines || []).find((history) => history.activity_id === activityId) || null;
  }

  function causeLine(state, position, total) {
    const cause = state.cause || {};
    return [
      `state ${position} of ${total}`,
      `${cause.method || ""} ${cause.path || ""}`.trim(),
      cause.status !== null && cause.status !== undefined ? String(cause.status) : null,
      cause.at ? timeOf(cause.at) : null,
    ].filter(Boolean).join(" · ");
  }

  function activityCard(view, device, gone) {
    const history = historyOf(view.activity_id);
    const states = history ? history.states : [];
    const last = states.length - 1;
    const chosen = ui.scrub.has(view.activity_id) ? Math.min(ui.scrub.get(view.activity_id), last) : last;
    const live = !gone && chosen === last;
    const shown = live || chosen < 0 ? view : states[chosen].view;
    const card = el("article", {
      class: "activity",
      "aria-label": `Live Activity: ${(shown.content_state || {}).title || ""}`,
      data: { activity: view.activity_id, status: shown.status, type: (shown.content_state || {}).type || "",
              position: chosen + 1, live: live ? "1" : "0" },
    });
    card.append(activityFace(shown, device, live));
    if (states.length) card.append(timelineControls(view, device, states, chosen, gone));
    return card;
  }

  function timelineControls(view, device, states, chosen, gone) {
    // One row: the scrubber (when there is more than one state) and where it stands; below it the request
    // behind the shown state, which opens to its body.
    const id = view.activity_id;
    const total = states.length + ((historyOf(id) || {}).dropped_states || 0);
    const follow = el("span", { class: "follow" });
    const body = el("pre", {});
    const cause = detailsKept(`body:${id}`, "", body);
    cause.classList.add("cause-body");
    const paint = (index) => {
      const state = states[index];
      const live = !gone && index === states.length - 1;
      cause.querySelector("summary").textContent = causeLine(state, (state.index ?? index) + 1, total);
      cause.querySelector("summary").classList.add("cause");
      body.textContent = state.cause && state.cause.body !== undefined && state.cause.body !== null
        ? JSON.stringify(state.cause.body, null, 2) : "(no body)";
      follow.textContent = live ? "live" : gone ? "dismissed" : "earlier state";
      follow.classList.toggle("on", live);
    };
    paint(chosen);
    let slider = null;
    if (states.length > 1) {
      slider = el("input", {
        type: "range", class: "scrubber", min: 0, max: states.length - 1, step: 1, value: chosen,
        "aria-label": `Timeline of ${(view.content_state || {}).title || "this Live Activity"}`,
        data: { activity: id },
      });
      slider.addEventListener("input", () => {
        const index = Number(slider.value);
        if (index >= states.length - 1 && !gone) ui.scrub.delete(id);
        else ui.scrub.set(id, index);
        const card = slider.closest("article.activity");
        const fresh = activityCard(view, device, gone);
        card.querySelector(".face").replaceWith(fresh.querySelector(".face"));
        for (const key of ["position", "live", "status", "type"]) card.dataset[key] = fresh.dataset[key];
        paint(index);
      });
    }
    return el(
      "div",
      { class: "timeline" },
      el("div", { class: "timeline-row" },
        el("span", { class: "timeline-label" }, states.length > 1 ? `Timeline · ${total} states` : "Timeline · 1 state"),
        slider, follow),
      cause,
    );
  }

  // ---- pushes, taps and the phone ------------------------------------------------------------------------
  function actionButton(action, accent, tap) {
    const kind = action.type === "webhook" ? "webhook" : "open_url";
    const button = el(
      "button",
      { type: "button", class: `action ${kind} ${accent}`.trim(), data: { kind },
        title: kind === "webhook" ? `${action.method || "POST"} ${action.url}` : action.url,
        disabled: tap ? null : true },
      action.title,
    );
    if (tap) button.addEventListener("click", () => pressButton(action, tap));
    return button;
  }

  function pushCard(push, index, device) {
    const buttons = Array.isArray(push.actions) ? push.actions : [];
    // A replaced push (PUT /push-notification/{id}) keeps its place and arrival time; it is marked.
    const replaced = push.replaced === true;
    const times = Number(push.replacements) > 1 ? ` ×${Number(push.replacements)}` : "";
    const head = el(
      "div",
      { class: "push-head" },
      // A push's icon is an image URL: never fetched here, only named in the tooltip.
      el("span", { class: "icon app-icon glyph", title: push.icon ? `icon: ${push.icon} (not loaded)` : null }, "◆"),
      el("span", { class: "app-name" }, "ActivitySmith"),
      replaced
        ? el("span", { class: "replaced", title: push.replaced_at ? `replaced at ${timeOf(push.replaced_at)}` : null },
            `replaced${times}`)
        : null,
      el("time", { datetime: push.received_at || "" }, timeOf(push.received_at)),
    );
    const body = el(
      "div",
      { class: "push-body" },
      el("div", { class: "push-title" }, push.title),
      push.subtitle ? el("div", { class: "push-subtitle" }, push.subtitle) : null,
      push.message ? el("div", { class: "push-message" }, push.message) : null,
    );
    if (push.redirection) {
      body.classList.add("tappable");
      body.setAttribute("role", "link");
      body.setAttribute("tabindex", "0");
      body.title = `opens ${push.redirection}`;
      const open = () => openUrl(push.redirection);
      body.addEventListener("click", open);
      body.addEventListener("keydown", (event) => { if (event.key === "Enter") open(); });
    }
    return el(
      "article",
      { class: `push${push.interruption_level ? ` level-${push.interruption_level}` : ""}`,
        "aria-label": `Notification: ${push.title}`, data: { push: index } },
      head,
      body,
      push.media ? el("div", { class: "push-media", title: push.media }, "media: ", el("code", {}, push.media)) : null,
      buttons.length
        ? el("div", { class: "buttons" }, buttons.map((action, i) =>
            actionButton(action, "", { device: device.id, push: index, action: i })))
        : null,
      push.interruption_level || (push.tags && push.tags.length)
        ? el("p", { class: "push-meta" }, [push.interruption_level, ...(push.tags || []).map((t) => `#${t}`)].filter(Boolean).join(" · "))
        : null,
    );
  }

  function outcomeText(outcome) {
    if (outcome.kind === "open_url") {
      return isWebUrl(outcome.url) ? `Opened ${outcome.url}` : `Opened ${outcome.url} on the phone (not in this browser)`;
    }
    const call = `Webhook ${outcome.method || "POST"} ${outcome.url}`;
    if (outcome.error) return `${call} failed: ${outcome.error}`;
    return `${call} → ${outcome.status}`;
  }

  function tapList(device) {
    const taps = (doc.taps || []).filter((tap) => tap.device === device.id).slice().reverse();
    if (!taps.length) return null;
    return el(
      "section",
      { class: "taps", "aria-label": "Button taps" },
      el("h3", {}, "Button taps"),
      el("ol", {}, taps.map((tap) => el(
        "li",
        { class: tap.error || (tap.status && tap.status >= 400) ? "failed" : "ok", data: { kind: tap.kind } },
        el("time", {}, timeOf(tap.at)), " ", outcomeText(tap),
      ))),
    );
  }

  function phone(device) {
    const current = device.live_activities || [];
    const currentIds = new Set(current.map((view) => view.activity_id));
    const earlier = (doc.timelines || [])
      .filter((history) => history.devices.includes(device.id) && !currentIds.has(history.activity_id) && history.states.length)
      .reverse();
    const all = (device.pushes || []).map((push, index) => ({ push, index })).reverse();
    const pushes = all.slice(0, MAX_PUSHES);
    const older = all.length - pushes.length;
    const now = doc.now ? new Date(doc.now) : new Date();
    return el(
      "section",
      { class: `phone${device.connected ? "" : " disconnected"}`, "aria-label": `Phone ${device.name}`,
        data: { device: device.id } },
      el(
        "header",
        { class: "phone-head" },
        el("div", { class: "device-name" }, device.name,
          device.badge ? el("span", { class: "app-badge", title: "App Icon Badge Count" }, String(device.badge)) : null),
        el("div", { class: "device-meta" },
          `${device.member} · ${device.account} · `,
          (device.channels || []).length ? device.channels.map((c) => `#${c}`).join(" ") : "no channels",
          device.connected ? "" : " · disconnected"),
      ),
      el(
        "div",
        { class: "screen" },
        el("div", { class: "lock-clock" }, now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false })),
        el("div", { class: "lock-date" }, now.toLocaleDateString([], { weekday: "long", month: "long", day: "numeric" })),
        el("section", { class: "activities", "aria-label": "Live Activities" },
          current.length ? current.map((view) => activityCard(view, device, false))
            : el("p", { class: "empty" }, "No Live Activities")),
        el("section", { class: "notifications", "aria-label": "Notifications" },
          pushes.length ? pushes.map(({ push, index }) => pushCard(push, index, device))
            : el("p", { class: "empty" }, "No notifications"),
          older ? el("p", { class: "empty older" }, `and ${older} earlier notifications`) : null),
        earlier.length
          ? detailsKept(`earlier:${device.id}`, `Dismissed Live Activities (${earlier.length})`,
              el("section", { class: "earlier", "aria-label": "Dismissed Live Activities" },
                earlier.map((history) => activityCard(history.states[history.states.length - 1].view, device, true))))
          : null,
        tapList(device),
      ),
    );
  }

  // ---- pickers, request list, drawing --------------------------------------------------------------------
  function channelChoices() {
    const accounts = doc.accounts || [];
    const many = accounts.length > 1;
    return accounts.flatMap((account) => account.channels.map((channel) => ({
      value: `${account.name}/${channel}`, label: many ? `${account.name} · #${channel}` : `#${channel}`,
    })));
  }

  function inChannel(device) {
    if (!ui.channel) return true;
    const [account, channel] = ui.channel.split("/");
    return device.account === account && (device.channels || []).includes(channel);
  }

  function fillPicker(select, first, choices, chosen) {
    const options = [el("option", { value: "" }, first), ...choices.map((c) => el("option", { value: c.value }, c.label))];
    select.replaceChildren(...options);
    select.value = choices.some((c) => c.value === chosen) ? chosen : "";
    return select.value;
  }

  function drawPickers() {
    ui.channel = fillPicker(document.getElementById("channel-picker"), "All channels", channelChoices(), ui.channel);
    const devices = (doc.devices || []).filter(inChannel);
    ui.device = fillPicker(document.getElementById("device-picker"), "All devices",
      devices.map((d) => ({ value: d.id, label: `${d.name} (${d.member})` })), ui.device);
  }

  function drawRequests() {
    const list = document.getElementById("request-list");
    const requests = (doc.requests || []).slice().reverse();
    list.replaceChildren(...requests.map((r) => el(
      "li",
      { class: r.status === null ? "dropped" : r.status >= 400 ? "failed" : "ok" },
      el("time", {}, timeOf(r.received_at)), " ",
      el("code", {}, `${r.method} ${r.path}`), " ",
      el("span", { class: "status-code" }, r.status === null ? "no answer" : String(r.status)),
      r.fault ? el("span", { class: "fault" }, ` fault: ${r.fault}`) : null,
    )));
    if (!requests.length) list.replaceChildren(el("li", { class: "empty" }, "No API requests yet"));
  }

  function draw() {
    if (!doc) return;
    if (ui.dragging) {
      ui.pendingDraw = true;
      return;
    }
    const focused = document.activeElement;
    const focusKey = focused && focused.classList && focused.classList.contains("scrubber") ? focused.dataset.activity : null;
    drawPickers();
    const devices = (doc.devices || []).filter((d) => inChannel(d) && (!ui.device || d.id === ui.device));
    const phones = document.getElementById("phones");
    phones.replaceChildren(...(devices.length ? devices.map(phone)
      : [el("p", { class: "empty" }, (doc.devices || []).length ? "No device in this channel." : "No devices in this service's config.")]));
    document.body.dataset.version = String(doc.version);
    drawRequests();
    if (focusKey) {
      const again = [...phones.querySelectorAll("input.scrubber")].find((s) => s.dataset.activity === focusKey);
      if (again) again.focus();
    }
  }

  // ---- talking to the service ----------------------------------------------------------------------------
  async function refresh() {
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    try {
      do {
        fetchAgain = false;
        const response = await fetch("/_preview/state", { cache: "no-store" });
        if (!response.ok) throw new Error(`GET /_preview/state answered ${response.status}`);
        doc = await response.json();
        fetchedAt = performance.now();
        draw();
      } while (fetchAgain);
    } catch (error) {
      showToast(`Could not read the service: ${error.message}`, true);
    } finally {
      fetching = false;
    }
  }

  function showToast(text, failed) {
    const toast = document.getElementById("toast");
    toast.textContent = text;
    toast.dataset.failed = failed ? "1" : "0";
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => { toast.hidden = true; }, 8000);
  }

  function openUrl(url) {
    if (isWebUrl(url)) {
      window.open(url, "_blank", "noopener,noreferrer");
      return true;
    }
    showToast(`On the phone this opens ${url} (an app or Shortcuts link: not opened here)`, false);
    return false;
  }

  async function pressButton(action, tap) {
    // Open first: a browser lets a click open a tab only while it is handling that click.
    if (action.type !== "webhook" && isWebUrl(action.url)) openUrl(action.url);
    try {
      const response = await fetch("/_mock/tap", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(tap),
      });
      const outcome = await response.json();
      if (!response.ok) {
        showToast(`Tap refused (${response.status}): ${outcome.message || outcome.error || ""}`, true);
        return;
      }
      showToast(outcomeText(outcome), Boolean(outcome.error) || (outcome.status && outcome.status >= 400));
    } catch (error) {
      showToast(`Tap failed: ${error.message}`, true);
    }
  }

  function connect() {
    const status = document.getElementById("connection");
    const events = new EventSource("/_preview/events");
    events.addEventListener("open", () => {
      status.dataset.state = "live";
      status.textContent = "live";
    });
    events.addEventListener("error", () => {
      status.dataset.state = "reconnecting";
      status.textContent = "reconnecting…";
    });
    events.addEventListener("change", (event) => {
      const { version } = JSON.parse(event.data);
      if (!doc || version !== doc.version) refresh();
    });
  }

  function start() {
    document.getElementById("channel-picker").addEventListener("change", (event) => {
      ui.channel = event.target.value;
      ui.device = "";
      draw();
    });
    document.getElementById("device-picker").addEventListener("change", (event) => {
      ui.device = event.target.value;
      draw();
    });
    document.addEventListener("pointerdown", (event) => {
      if (event.target.classList && event.target.classList.contains("scrubber")) ui.dragging = true;
    });
    document.addEventListener("pointerup", () => {
      ui.dragging = false;
      if (ui.pendingDraw) {
        ui.pendingDraw = false;
        draw();
      }
    });
    setInterval(() => {
      const since = (performance.now() - fetchedAt) / 1000;
      document.querySelectorAll(".timer-value").forEach((node) => paintTimer(node, since));
    }, 1000);
    connect();
    refresh();
  }

  start();
})();
