// Autosave for the editing pages (templates/editor/section_fields.html inside a
// <form method="post">). Plain script, no framework, no build step; the page works without it.
//
// - Typing schedules a save (debounced 800 ms): the whole form, urlencoded, posted to the
//   form's action with `Accept: application/json`. The state shows in #save-state.
// - Nothing typed is lost: the unsent form is kept in localStorage (per report, section and
//   base revision) until the server has it, offered back on the next visit, flushed with
//   `keepalive` when the tab is hidden or closed, and retried with backoff when offline.
// - A save the server merged with someone else's (or a conflict the person resolved) brings
//   their values into the page, so the next save does not undo them.
// - Conflicts show both values at the field and pause autosave until the person decides.
// - Conditional questions ([data-show-if]) appear and disappear as their parent changes.
(function () {
  "use strict";
  const state = document.getElementById("save-state");
  const form = state && state.closest("form");
  if (!form) return;
  const say = (key) => state.dataset[key] || key; // Localized texts come from data-* attributes.
  const base = form.elements.namedItem("base_revision");
  // Not `form.action`: the form's buttons are named "action", and a control's name shadows
  // the form's property of the same name.
  const target = form.getAttribute("action") || location.href;
  const scope = form.dataset.draftKey || location.pathname; // report + section
  const draftKey = () => "qpr-draft:" + scope + ":" + (base ? base.value : "");
  const KEEPALIVE_LIMIT = 60000;
  let timer = null, inFlight = false, dirty = false, retryDelay = 2000, paused = false;

  function show(text, isError) {
    state.textContent = text;
    state.classList.toggle("is-error", !!isError);
  }

  function body() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  // What a body says about the fields (without the form token and the base revision, which
  // change with every page).
  function fieldsOf(text) {
    const params = new URLSearchParams(text);
    params.delete("csrf");
    params.delete("base_revision");
    return params;
  }

  // The names whose values differ between two bodies.
  function changedNames(before, after) {
    const a = fieldsOf(before), b = fieldsOf(after), names = new Set();
    for (const name of new Set([...a.keys(), ...b.keys()])) {
      if (a.getAll(name).join("\u0000") !== b.getAll(name).join("\u0000")) names.add(name);
    }
    return names;
  }

  // --- Local copy of unsent typing ---------------------------------------------------------
  function keepLocally() {
    try {
      localStorage.setItem(draftKey(), JSON.stringify({ at: Date.now(), body: body() }));
    } catch (e) { /* storage full or disabled: the server save still runs */ }
  }

  function dropLocal() {
    try { localStorage.removeItem(draftKey()); } catch (e) { /* nothing kept */ }
  }

  // Every copy of this page, whatever its base revision.
  function localKeys() {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.indexOf("qpr-draft:" + scope + ":") === 0) keys.push(key);
    }
    return keys;
  }

  // A copy left by an earlier visit (any base revision of this page) is offered back; restored,
  // it is saved on the revision it was typed on, so the server merges or reports a conflict.
  function offerRestore() {
    let found = null, foundKey = null;
    for (const key of localKeys()) {
      let draft = null;
      try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { /* not ours */ }
      if (draft && (!found || draft.at > found.at)) { found = draft; foundKey = key; }
    }
    if (!found) return;
    if (changedNames(found.body, body()).size === 0) { localStorage.removeItem(foundKey); return; }
    const bar = document.createElement("div");
    bar.className = "conflict";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", say("restore"));
    const text = document.createElement("p");
    text.textContent = say("restore") + " (" + new Date(found.at).toLocaleString() + ")";
    bar.appendChild(text);
    bar.appendChild(button(say("restoreYes"), () => {
      fill(new URLSearchParams(found.body));
      if (base) base.value = foundKey.slice(foundKey.lastIndexOf(":") + 1);
      bar.remove();
      changed();
    }));
    bar.appendChild(button(say("restoreNo"), () => { localStorage.removeItem(foundKey); bar.remove(); }));
    state.parentNode.insertAdjacentElement("afterend", bar);
  }

  // Puts posted pairs back into the controls of the same names (several text controls of one
  // name take the values in order).
  function fill(params) {
    const used = {};
    for (const el of form.elements) {
      if (!el.name || !params.has(el.name) || ["hidden", "submit", "button"].indexOf(el.type) >= 0) continue;
      const values = params.getAll(el.name);
      if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) >= 0; continue; }
      const next = used[el.name] || 0;
      if (next < values.length && el.value !== values[next]) el.value = values[next];
      used[el.name] = next + 1;
    }
    toggleConditions();
  }

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  // Brings the page up to the revision the server has now, keeping what the person has in the
  // controls named in `keep` (typed since the last save, or their side of a conflict). Values
  // are updated in place (focus and caret stay) unless records were added or removed meanwhile.
  async function refresh(keep) {
    const response = await fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const latestForm = page.querySelector("form.editor");
    const latest = latestForm && latestForm.querySelector("[name=base_revision]");
    if (!latest) throw new Error("not an editing page");
    const mine = new URLSearchParams(body());
    if (shape(latestForm) === shape(form)) {
      const theirs = new URLSearchParams(new FormData(latestForm));
      for (const name of ["csrf", "base_revision", ...keep]) theirs.delete(name);
      fill(theirs);
    } else {
      const fresh = latestForm.querySelectorAll(".edit-block"), old = form.querySelectorAll(".edit-block");
      if (!fresh.length || !old.length) throw new Error("not an editing page");
      old[0].before(...fresh);
      old.forEach((el) => el.remove());
      const kept = new URLSearchParams();
      for (const name of keep) for (const value of mine.getAll(name)) kept.append(name, value);
      fill(kept);
    }
    if (base) base.value = latest.value;
  }

  // The controls of a form, by name and kind: equal shapes take each other's values.
  function shape(f) {
    return Array.from(f.elements, (el) => el.name + "|" + el.type + "|" + (el.type === "checkbox" || el.type === "radio" ? el.value : "")).join("\n");
  }

  // --- Saving ------------------------------------------------------------------------------
  function changed() {
    dirty = true;
    keepLocally();
    toggleConditions();
    clearTimeout(timer);
    if (!paused) timer = setTimeout(() => save(false), 800);
  }

  // Posts the form. `keepalive` (when the tab is hidden or closed) lets the request outlive the
  // page; browsers refuse such a body above 64 KiB (a urlencoded body is ASCII: one byte a
  // character), so a larger one goes as a plain request, which a closing page may cut: the
  // local copy is what remains then, offered back on the next visit.
  async function save(keepalive) {
    if (inFlight || !dirty || paused) return;
    clearTimeout(timer);
    inFlight = true;
    dirty = false;
    show(say("saving"));
    const sent = body();
    let response;
    try {
      response = await fetch(target, {
        method: "POST", body: sent, credentials: "same-origin", keepalive: keepalive === true && sent.length < KEEPALIVE_LIMIT,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      });
    } catch (e) {
      // Offline or the server is unreachable: keep the text, try again later.
      inFlight = false;
      dirty = true;
      show(say("offline"), true);
      timer = setTimeout(() => save(false), retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
      return;
    }
    inFlight = false;
    retryDelay = 2000;
    const data = await response.json().catch(() => ({}));
    if (response.ok && (data.status === "saved" || data.status === "merged")) {
      dropLocal();
      if (base) base.value = data.revision;
      if (data.status === "merged") {
        // Someone saved other fields meanwhile: show their values, keep what was typed since.
        try { await refresh(changedNames(sent, body())); } catch (e) { /* shown on the next visit */ }
      }
      if (dirty) keepLocally(); else dropLocal();
      const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      show(say("saved") + " " + time);
      const meter = document.getElementById("completeness");
      if (meter && typeof data.completeness === "number") meter.textContent = meter.textContent.replace(/\d+/, data.completeness);
      showFindings(data.findings || []);
      if (dirty) timer = setTimeout(() => save(false), 800);
    } else if (response.status === 409) {
      dirty = true;
      paused = true;
      showConflicts(data);
    } else if (response.status === 422) {
      dirty = true;
      show(say("invalid"), true);
      showFindings((data.errors || []).map((e) => ({ name: e.name, severity: "error", message: e.message })));
    } else if (response.status === 401 || response.status === 403) {
      dirty = true;
      show(say("expired"), true);
    } else {
      dirty = true;
      show(say("offline"), true);
      timer = setTimeout(() => save(false), retryDelay);
    }
  }

  // The wrapper of a field: by form name (the longest name that prefixes it), else by
  // validation path (the longest path that prefixes it).
  function fieldFor(item) {
    const wrappers = form.querySelectorAll("[data-field]");
    let best = null, length = -1;
    for (const el of wrappers) {
      const key = item.name ? el.dataset.field : el.dataset.path;
      const target = item.name || item.path || "";
      if (key && (target === key || target.indexOf(key + ".") === 0 || target.indexOf(key + "[") === 0) && key.length > length) {
        best = el; length = key.length;
      }
    }
    return best;
  }

  function showFindings(findings) {
    form.querySelectorAll(".js-findings").forEach((el) => el.remove());
    for (const finding of findings) {
      const field = fieldFor(finding);
      if (!field) continue;
      const list = field.querySelector(".js-findings") || field.appendChild(document.createElement("ul"));
      list.className = "findings js-findings";
      const li = document.createElement("li");
      li.className = finding.severity === "error" ? "finding-error" : "finding-warning";
      li.textContent = finding.message;
      list.appendChild(li);
    }
  }

  // Both values next to each field; autosave waits until the person has looked at them.
  function showConflicts(data) {
    form.querySelectorAll(".js-conflict").forEach((el) => el.remove());
    show(say("conflict"), true);
    for (const c of data.conflicts || []) {
      const field = fieldFor({ name: c.name, path: c.path }) || state.parentNode;
      const box = document.createElement("div");
      box.className = "conflict js-conflict";
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", c.label || c.path);
      for (const [label, value] of [[say("yours"), c.yours], [say("theirs"), c.theirs]]) {
        const p = document.createElement("p");
        p.textContent = label + ": " + (typeof value === "string" ? value : JSON.stringify(value));
        box.appendChild(p);
      }
      field.appendChild(box);
    }
    const resume = button(say("resolve"), async () => {
      // The person has compared: take the latest revision's values for every other field
      // (saving the page as it is would undo them) and save theirs on top of it.
      const names = (data.conflicts || []).map((c) => c.name).filter(Boolean);
      try { await refresh(names); } catch (e) { show(say("offline"), true); return; }
      form.querySelectorAll(".js-conflict").forEach((el) => el.remove());
      resume.remove();
      paused = false;
      changed();
    });
    resume.classList.add("js-conflict");
    state.insertAdjacentElement("afterend", resume);
  }

  // Sends what is unsent when the tab is hidden or closed (the request outlives the page). A
  // save already on its way is not sent twice: if the closing page cuts it, the local copy of
  // the text is offered back on the next visit.
  function flush() {
    if (!dirty || paused) return;
    keepLocally();
    save(true);
  }

  // --- Conditional questions ---------------------------------------------------------------
  function toggleConditions() {
    for (const el of form.querySelectorAll("[data-show-if]")) {
      const controls = form.querySelectorAll('[name="' + CSS.escape(el.dataset.showIf) + '"]');
      let value = "";
      for (const c of controls) {
        if ((c.type === "radio" || c.type === "checkbox") ? c.checked : c.type !== "hidden") { value = c.value; break; }
      }
      el.hidden = value !== el.dataset.showValue;
    }
  }

  // A plain post of the form (the save button, or a button adding or removing something)
  // carries everything: no autosave or flush of the same text beside it.
  form.addEventListener("submit", () => { clearTimeout(timer); dirty = false; paused = true; });
  // Back from such a post: the server has what this page had.
  if (/[?&]saved=1(&|$)/.test(location.search)) {
    try { localKeys().forEach((key) => localStorage.removeItem(key)); } catch (e) { /* storage disabled */ }
  }
  // Back to this page from the history: autosave again.
  window.addEventListener("pageshow", (event) => { if (event.persisted) paused = false; });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("online", () => { retryDelay = 2000; save(false); });
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flush(); });
  toggleConditions();
  try { offerRestore(); } catch (e) { /* storage disabled: nothing to offer */ }
})();
