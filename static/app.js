// XinQiao's one small script. No inline script anywhere: pages run under a strict CSP.
// Part 1, the outbox, also runs inside the service worker (sw.js imports this file).
// Part 2 wires it to the page.
"use strict";

var XinQiaoOutbox = (function () {
  var DB_NAME = "xinqiao";
  var STORE = "outbox";
  var SYNC_TAG = "xinqiao-outbox";
  var channel = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("xinqiao-outbox") : null;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function get(id) { return withStore("readonly", function (store) { return store.get(id); }); }
  function put(entry) { return withStore("readwrite", function (store) { store.put(entry); }).then(changed); }
  function remove(id) { return withStore("readwrite", function (store) { store.delete(id); }).then(changed); }
  function changed() { if (channel) channel.postMessage("changed"); }

  // The server's messages from a 422 page (works without a DOM, inside the worker too).
  function errorsIn(html) {
    var found = [];
    var pattern = /class="error[^"]*"[^>]*>([^<]+)</g;
    var match;
    while ((match = pattern.exec(html)) !== null) found.push(match[1].trim());
    return found;
  }

  function session() {
    return fetch("/session/outbox", {
      credentials: "same-origin", redirect: "manual", cache: "no-store", headers: { "X-Outbox": "1" }
    }).then(function (response) { return response.status === 200 ? response.json() : null; });
  }

  function send(entry, token) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) { if (pair[0] !== "csrf_token") body.append(pair[0], pair[1]); });
    return fetch(entry.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "X-CSRFToken": token, "X-Outbox": "1" }
    });
  }

  // One pass over the outbox. 2xx removes an entry; 401/403 (or a redirect to sign-in) keeps it
  // until the user signs in again; 422 moves it to "needs attention" with the server's words, and
  // so do 404 (the child is no longer hers to record) and 409 (another record holds the entry's
  // id: sent again, it must go under a new one);
  // anything else keeps it for the next try. Nothing is dropped silently.
  function replayOnce() {
    return all().then(function (entries) {
      var waiting = entries.filter(function (entry) { return entry.state !== "attention"; });
      if (!waiting.length) return;
      return session().then(function (current) {
        if (!current) {
          return Promise.all(waiting.map(function (entry) { entry.state = "signin"; return put(entry); }));
        }
        // Entries made by someone else on a shared phone wait for her own session.
        var mine = waiting.filter(function (entry) { return entry.user === current.user; });
        return mine.reduce(function (previous, entry) {
          return previous.then(function (goOn) {
            if (!goOn) return false;
            return send(entry, current.csrf_token).then(function (response) {
              if (response.ok) return remove(entry.id).then(function () { return true; });
              if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") {
                entry.state = "signin";
                return put(entry).then(function () { return false; });
              }
              // 404: the child is not (or no longer) hers to record, e.g. moved to another class.
              if (response.status === 422 || response.status === 409 || response.status === 404) {
                return response.text().then(function (html) {
                  entry.state = "attention";
                  entry.messages = errorsIn(html);
                  entry.newId = response.status === 409;
                  return put(entry).then(function () { return true; });
                });
              }
              entry.state = "pending";
              entry.tries = (entry.tries || 0) + 1;
              return put(entry).then(function () { return true; });
            }, function () { return false; }); // still offline: stop here, try again later
          });
        }, Promise.resolve(true));
      });
    });
  }

  // Only one replay at a time, across this page, other tabs and the service worker.
  var running = null;
  function replay() {
    if (typeof navigator !== "undefined" && navigator.locks) {
      return navigator.locks.request("xinqiao-outbox", { ifAvailable: true }, function (lock) {
        return lock ? replayOnce() : null;
      });
    }
    if (!running) running = replayOnce().then(function () { running = null; }, function () { running = null; });
    return running;
  }

  return { SYNC_TAG: SYNC_TAG, all: all, get: get, put: put, remove: remove, replay: replay, channel: channel };
})();

if (typeof document !== "undefined") (function () {
  var body = document.body;
  var outbox = XinQiaoOutbox;

  function say(text, kind) {
    var main = document.getElementById("main");
    if (!main || !text) return;
    var note = document.createElement("p");
    note.className = kind === "error" ? "error banner net-error" : "flash outbox-note";
    note.setAttribute("role", kind === "error" ? "alert" : "status");
    note.textContent = text;
    main.prepend(note);
  }

  function refreshBadge() {
    var badge = document.getElementById("outbox-badge");
    if (!badge) return Promise.resolve(0);
    return outbox.all().then(function (entries) {
      badge.hidden = entries.length === 0;
      badge.querySelector(".count").textContent = entries.length;
      var list = document.getElementById("outbox-pending");
      if (list) drawOutboxPage(entries);
      warnIfStale(entries);
      return entries.length;
    }, function () { return 0; });
  }

  // A create form gets its entry id and device time once, at the first submit: a double tap
  // or a retry sends the same entry, which the server stores only once.
  function stamp(form) {
    if (form.dataset.stamped) return;
    var uuid = form.querySelector("input[name=client_uuid]");
    var made = form.querySelector("input[name=made_at]");
    if (uuid && window.crypto && crypto.randomUUID) uuid.value = crypto.randomUUID();
    if (made) made.value = new Date().toISOString();
    form.dataset.stamped = "1";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-create]")) return;
    stamp(form);
    form.xinqiaoSubmitter = event.submitter; // a named button (e.g. "本周无特殊情况") is part of the entry
  }, true);

  function saveOffline(form) {
    var fields = [];
    new FormData(form, form.xinqiaoSubmitter || null).forEach(function (value, name) { if (typeof value === "string") fields.push([name, value]); });
    var id = (form.querySelector("input[name=client_uuid]") || {}).value;
    if (!id) return;
    var entry = {
      id: id, url: new URL(form.getAttribute("action") || location.href, location.href).href,
      fields: fields, created: new Date().toISOString(), state: "pending",
      user: Number(body.dataset.user), title: document.title
    };
    var replaced = form.dataset.outboxEntry; // reopened under a new id: the old entry goes
    outbox.all().then(function (before) {
      if (!before.length) keepOutbox(); // the first entry waiting: ask the phone to keep them
    }, function () {});
    outbox.put(entry).then(function () {
      if (replaced && replaced !== id) return outbox.remove(replaced);
    }).then(function () {
      say(body.dataset.savedOffline);
      form.reset();
      delete form.dataset.stamped;
      delete form.dataset.outboxEntry;
      refreshBadge();
      if (navigator.serviceWorker) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) return registration.sync.register(outbox.SYNC_TAG);
        }).catch(function () {});
      }
    });
  }

  // No connection (also without a service worker: WeChat's browser, a plain-HTTP address).
  function sendFailed(event) {
    var config = event.detail.requestConfig || {};
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-create]");
    if (form && config.verb === "post") saveOffline(form);
    else if (config.boosted && !document.querySelector(".net-error")) say(body.dataset.offline, "error");
  }
  document.addEventListener("htmx:sendError", sendFailed);
  document.addEventListener("htmx:timeout", sendFailed);

  // A create form that went through removes any copy of the same entry still waiting.
  // (beforeSwap: the form is still in the page; after the swap its events no longer bubble here.)
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = (event.detail.requestConfig || {}).elt;
    var form = source && source.closest && source.closest("form[data-create]");
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (form && status >= 200 && status < 300) {
      var id = (form.querySelector("input[name=client_uuid]") || {}).value;
      if (id) outbox.remove(id).then(refreshBadge);
      var replaced = form.dataset.outboxEntry;
      if (replaced && replaced !== id) outbox.remove(replaced).then(refreshBadge);
    }
  });

  // A session that expired during an htmx call answers 401 + HX-Redirect; htmx follows the
  // redirect itself, so nothing is swapped. Other failures get a visible message.
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status !== 401 && !document.querySelector(".net-error")) say(body.dataset.failed, "error");
  });

  // "Needs attention": open the entry in its form, with her input and the server's message.
  function reopenFromOutbox() {
    var match = /^#outbox=(.+)$/.exec(location.hash);
    var form = document.querySelector("form[data-create]");
    if (!match || !form) return;
    outbox.get(decodeURIComponent(match[1])).then(function (entry) {
      if (!entry) return;
      entry.fields.forEach(function (pair) {
        form.querySelectorAll("[name='" + pair[0].replace(/'/g, "") + "']").forEach(function (input) {
          if (input.type === "checkbox" || input.type === "radio") {
            if (input.value === pair[1]) input.checked = true;
          } else if (input.tagName === "SELECT" && input.multiple) {
            Array.prototype.forEach.call(input.options, function (option) {
              if (option.value === pair[1]) option.selected = true;
            });
          } else if (input.name !== "csrf_token") {
            input.value = pair[1];
          }
        });
      });
      if (entry.newId) {
        // Another record holds its id (409): the entry goes again under a new one, same time.
        var uuid = form.querySelector("input[name=client_uuid]");
        if (uuid && window.crypto && crypto.randomUUID) uuid.value = crypto.randomUUID();
      }
      form.dataset.outboxEntry = entry.id;
      form.dataset.stamped = "1"; // keep the entry's own id and time
      (entry.messages || []).slice().reverse().forEach(function (text) { say(text, "error"); });
    });
  }

  function drawOutboxPage(entries) {
    var pending = document.getElementById("outbox-pending");
    var attention = document.getElementById("outbox-attention");
    [pending, attention].forEach(function (list) { list.textContent = ""; });
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "row";
      var label = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = entry.title || entry.url;
      var when = document.createElement("span");
      when.className = "muted";
      when.textContent = new Date(entry.created).toLocaleString();
      label.append(title, when);
      item.append(label);
      if (entry.state === "attention") {
        var fix = document.createElement("a");
        fix.className = "button";
        fix.href = entry.url + "#outbox=" + encodeURIComponent(entry.id);
        fix.setAttribute("hx-boost", "false");
        fix.textContent = attention.dataset.open;
        item.append(fix);
        attention.append(item);
      } else {
        if (entry.state === "signin") {
          var hint = document.createElement("span");
          hint.className = "badge warn";
          hint.textContent = pending.dataset.signin;
          item.append(hint);
        }
        pending.append(item);
      }
    });
    [pending, attention].forEach(function (list) {
      if (!list.children.length) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = list.dataset.empty;
        list.append(empty);
      }
    });
  }

  // Signing out: warn about entries not yet sent (they stay on this phone for her next
  // sign-in), and drop the pages kept for offline use.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[action='/logout']") || form.dataset.confirmed) return;
    event.preventDefault();
    outbox.all().then(function (entries) {
      var mine = entries.filter(function (entry) { return entry.user === Number(body.dataset.user); });
      if (mine.length && !window.confirm(body.dataset.unsentWarning.replace("{count}", mine.length))) return;
      var clearing = window.caches ? caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (key) { return key.indexOf("xinqiao-pages-") === 0; })
          .map(function (key) { return caches.delete(key); }));
      }) : Promise.resolve();
      return clearing.then(function () { form.dataset.confirmed = "1"; form.submit(); });
    });
  }, true);

  // Under storage pressure a browser may evict a site's IndexedDB, and with it entries never
  // sent: ask for persistent storage, and remember the answer so the outbox page can say so.
  function keepOutbox() {
    if (!navigator.storage || !navigator.storage.persist) return Promise.resolve(null);
    return navigator.storage.persisted().then(function (already) {
      return already || navigator.storage.persist();
    }).then(function (kept) {
      try { localStorage.setItem("xinqiao-persist", kept ? "granted" : "refused"); } catch (e) { /* private mode */ }
      showStorageAnswer();
      return kept;
    }, function () { return null; });
  }

  function showStorageAnswer() {
    var line = document.getElementById("outbox-not-kept");
    var answer = null;
    try { answer = localStorage.getItem("xinqiao-persist"); } catch (e) { /* private mode */ }
    if (line) line.hidden = answer !== "refused";
  }

  // An entry that has waited more than 3 days: the home page says so.
  var STALE_AFTER = 3 * 24 * 3600 * 1000;
  function warnIfStale(entries) {
    var warning = document.getElementById("outbox-stale");
    if (!warning) return;
    var now = Date.now();
    warning.hidden = !entries.some(function (entry) { return now - new Date(entry.created).getTime() > STALE_AFTER; });
  }

  // A form's offline copy (`?child=` with no id, one for every child): the child comes from the
  // roster page kept on this phone, found by the id in the address. The entry carries the id and
  // the server checks it on replay, as for any entry.
  function rosterChild(id, rosters) {
    if (!window.caches || !id) return Promise.resolve(null);
    return rosters.reduce(function (previous, url) {
      return previous.then(function (found) {
        if (found) return found;
        return caches.match(url, { ignoreVary: true }).then(function (response) {
          return response ? response.text() : "";
        }).then(function (html) {
          if (!html) return null;
          var page = new DOMParser().parseFromString(html, "text/html");
          var row = page.querySelector("[data-child='" + id + "']");
          return row ? { name: row.dataset.name, village: row.dataset.village, lastVisit: row.dataset.lastVisit } : null;
        });
      });
    }, Promise.resolve(null));
  }

  // Whole days between two moments, by this phone's calendar.
  function daysBetween(earlier, later) {
    var day = function (moment) { return Date.UTC(moment.getFullYear(), moment.getMonth(), moment.getDate()); };
    return Math.round((day(later) - day(earlier)) / 86400000);
  }

  // The copy may have been kept days ago: a date it offered as "today" moves on by as many days
  // (counted on the phone's clock from the copy's Date header, so no two clocks are mixed).
  function moveDatesOn(form, path) {
    if (!window.caches) return;
    caches.match(path + "?child=", { ignoreVary: true }).then(function (copy) {
      var kept = copy && Date.parse(copy.headers.get("Date") || "");
      var days = kept ? daysBetween(new Date(kept), new Date()) : 0;
      if (days <= 0) return;
      form.querySelectorAll("input[type=date]").forEach(function (input) {
        if (!input.value || input.value !== input.defaultValue) return;
        var moved = new Date(input.value + "T00:00:00Z");
        moved.setUTCDate(moved.getUTCDate() + days);
        input.value = input.defaultValue = moved.toISOString().slice(0, 10);
      });
    }, function () {});
  }

  // `address`: the page's own (a boosted page change passes the one it asked for).
  function fillChildTemplate(address) {
    var form = document.querySelector("form[data-child-template]");
    if (!form || form.dataset.childFilled) return;
    form.dataset.childFilled = "1";
    var id = new URL(address || location.href, location.href).searchParams.get("child") || "";
    if (!/^[0-9]+$/.test(id)) id = "";
    var action = new URL(form.getAttribute("action"), location.href);
    var rosters = form.dataset.childTemplate.split(" ").filter(Boolean);
    rosterChild(id, rosters).then(function (child) {
      var heading = document.querySelector("[data-child-name]");
      var missing = document.querySelector("[data-child-missing]");
      if (!child) {
        if (missing) missing.hidden = false;
        form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
        return;
      }
      if (heading) heading.textContent = heading.dataset.childName.replace("{name}", child.name);
      var village = document.querySelector("[data-child-village]");
      if (village) village.textContent = child.village || "";
      action.searchParams.set("child", id);
      form.setAttribute("action", action.pathname + action.search);
      moveDatesOn(form, action.pathname);
    }, function () {});
  }

  // Offline search: the roster's rows carry name, pinyin and initials, so the phone filters
  // them itself (no pinyin library here), as the server would: a name holding the text, or
  // pinyin or initials starting with it.
  function searchRosterHere(form) {
    var input = form.querySelector("input[type=search]");
    var results = document.querySelector(form.dataset.offlineSearch);
    var note = document.querySelector("[data-offline-searching]");
    if (!input || !results) return;
    if (note) note.hidden = false;
    var needle = input.value.trim().toLowerCase().replace(/\s+/g, "");
    var latin = /^[a-z]+$/.test(needle);
    results.querySelectorAll("[data-child]").forEach(function (row) {
      var hit = !needle || (latin
        ? (row.dataset.initials || "").indexOf(needle) === 0 || (row.dataset.pinyin || "").indexOf(needle) === 0
        : (row.dataset.name || "").indexOf(needle) !== -1);
      (row.closest("li") || row).hidden = !hit;
    });
  }

  // htmx keeps the address a form had when it was boosted; a form's kept copy gets its child's
  // address afterwards, so its requests take the form's address as it is now.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-child-template]");
    if (form && event.detail.verb === "post") event.detail.path = form.getAttribute("action");
  });

  // Offline, the search never goes to the server (it would fail after the typing delay).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-offline-search]");
    if (form && !navigator.onLine) { event.preventDefault(); searchRosterHere(form); }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-offline-search]");
    if (form) searchRosterHere(form);
  });
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-offline-search]");
    if (form && !navigator.onLine) searchRosterHere(form);
  });
  window.addEventListener("online", function () {
    var note = document.querySelector("[data-offline-searching]");
    if (note) note.hidden = true;
  });

  function replayNow() { return outbox.replay().then(refreshBadge, refreshBadge); }

  if (outbox.channel) outbox.channel.onmessage = refreshBadge;
  window.addEventListener("online", replayNow);
  document.addEventListener("click", function (event) {
    if (event.target.id === "outbox-send") replayNow();
  });
  // After a boosted page change, the new page's badge and form.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target === document.body) {
      refreshBadge();
      fillChildTemplate((event.detail.pathInfo || {}).requestPath);
      reopenFromOutbox();
      showStorageAnswer();
    }
  });
  window.setInterval(function () { refreshBadge().then(function (count) { if (count) replayNow(); }); }, 60000);

  if (body.dataset.user && navigator.serviceWorker && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  refreshBadge();
  fillChildTemplate();
  reopenFromOutbox();
  showStorageAnswer();
  if (body.dataset.user) replayNow();
})();
