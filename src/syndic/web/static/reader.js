// syndic reader: keyboard shortcuts and background star/read posts.
// Everything here is an enhancement: every action is also a link or a form
// that works without this file. Loaded from our origin only (the CSP allows
// no inline script), so it must not build HTML from strings.
(function () {
  "use strict";

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : null;
  var current = -1;
  var pendingG = 0;

  function entries() {
    return Array.prototype.slice.call(document.querySelectorAll("#entries > li.entry"));
  }

  function select(index) {
    var items = entries();
    if (!items.length) { return; }
    if (index < 0) { index = 0; }
    if (index >= items.length) {
      var older = document.querySelector('.pager a[rel="next"]');
      if (older) { older.click(); }
      return;
    }
    items.forEach(function (item) { item.classList.remove("current"); });
    current = index;
    var item = items[index];
    item.classList.add("current");
    var link = item.querySelector(".entry-title");
    if (link) { link.focus({ preventScroll: true }); }
    item.scrollIntoView({ block: "nearest" });
  }

  function scopeElement() {
    var items = entries();
    if (current >= 0 && items[current]) { return items[current]; }
    return document.querySelector("article.article");
  }

  function applyState(scope, state) {
    var star = scope.querySelector(".star-form");
    var read = scope.querySelector(".read-form");
    if (star) {
      star.querySelector('input[name="starred"]').value = state.starred ? "0" : "1";
      var sb = star.querySelector("button");
      sb.textContent = state.starred ? "Unstar" : "Star";
      sb.setAttribute("aria-pressed", state.starred ? "true" : "false");
    }
    if (read) {
      read.querySelector('input[name="read"]').value = state.read ? "0" : "1";
      var rb = read.querySelector("button");
      rb.textContent = state.read ? "Mark unread" : "Mark read";
      rb.setAttribute("aria-pressed", state.read ? "true" : "false");
    }
    if (scope.classList) {
      scope.classList.toggle("starred", !!state.starred);
      if (scope.matches("li.entry")) { scope.classList.toggle("unread", !state.read); }
    }
  }

  function adjustUnreadCount(wasRead, isRead) {
    var counter = document.getElementById("unread-count");
    if (!counter || wasRead === isRead) { return; }
    var value = parseInt(counter.textContent, 10) || 0;
    counter.textContent = String(Math.max(0, value + (isRead ? -1 : 1)));
  }

  function post(form) {
    if (!csrf || !window.fetch) { form.submit(); return; }
    var scopeBefore = form.closest("li.entry") || form.closest("article.article");
    var readButton = scopeBefore ? scopeBefore.querySelector(".read-form button") : null;
    var wasRead = readButton ? readButton.getAttribute("aria-pressed") === "true" : null;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (state) {
      if (wasRead !== null) { adjustUnreadCount(wasRead, !!state.read); }
      applyState(form.closest("li.entry") || form.closest("article.article") || document, state);
    }).catch(function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches(".star-form, .read-form") && csrf && window.fetch) {
      event.preventDefault();
      post(form);
    }
  });

  function toggle(selector) {
    var scope = scopeElement();
    if (!scope) { return; }
    var form = scope.querySelector(selector);
    if (form) { post(form); }
  }

  function help() {
    var dialog = document.getElementById("help");
    if (!dialog) { return; }
    if (dialog.open) { dialog.close(); } else { dialog.showModal(); }
  }

  var helpButton = document.getElementById("help-button");
  if (helpButton) { helpButton.addEventListener("click", help); }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) { link.click(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) {
      if (event.key === "Escape" && target.blur) { target.blur(); }
      return;
    }
    var dialog = document.getElementById("help");
    if (dialog && dialog.open && event.key !== "?") { return; }
    var key = event.key;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      var views = { a: "all", u: "unread", s: "starred" };
      if (views[key]) { event.preventDefault(); window.location.assign("/?view=" + views[key]); }
      return;
    }
    pendingG = 0;
    var article = document.querySelector("article.article");
    var onList = entries().length > 0;
    switch (key) {
      case "j":
        event.preventDefault();
        if (onList) { select(current + 1); } else if (article) { follow('.article-nav a[rel="next"]'); }
        break;
      case "k":
        event.preventDefault();
        if (onList) { select(current - 1); } else if (article) { follow('.article-nav a[rel="prev"]'); }
        break;
      case "o":
        event.preventDefault();
        if (onList && current >= 0) { follow("#entries > li.current .entry-title"); }
        else if (article) { follow("#original-link"); }
        break;
      case "s":
        event.preventDefault();
        toggle(".star-form");
        break;
      case "m":
        event.preventDefault();
        toggle(".read-form");
        break;
      case "/":
        event.preventDefault();
        var box = document.getElementById("q");
        if (box) { box.focus(); box.select(); }
        break;
      case "g":
        pendingG = Date.now();
        break;
      case "?":
        event.preventDefault();
        help();
        break;
      default:
        break;
    }
  });

  // Times in the reader's own time zone, as "3 h ago" (the page says UTC without script).
  function relativeTimes() {
    var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
                 ["hour", 3600], ["minute", 60]];
    var format = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
    Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) { return; }
      el.setAttribute("title", when.toLocaleString());
      if (!el.classList.contains("relative") || !format) { return; }
      var seconds = (when.getTime() - Date.now()) / 1000;
      for (var i = 0; i < units.length; i++) {
        if (Math.abs(seconds) >= units[i][1] || i === units.length - 1) {
          el.textContent = format.format(Math.round(seconds / units[i][1]), units[i][0]);
          return;
        }
      }
    });
  }

  // Compact density: one line a row, remembered in this browser.
  function density() {
    var button = document.getElementById("density-toggle");
    var list = document.getElementById("entries");
    if (!button || !list) { return; }
    function apply(compact) {
      list.classList.toggle("compact", compact);
      button.setAttribute("aria-pressed", compact ? "true" : "false");
      button.textContent = compact ? "Comfortable list" : "Compact list";
    }
    var stored = false;
    try { stored = window.localStorage.getItem("syndic.density") === "compact"; } catch (e) { stored = false; }
    apply(stored);
    button.hidden = false;
    button.addEventListener("click", function () {
      var compact = !list.classList.contains("compact");
      apply(compact);
      try { window.localStorage.setItem("syndic.density", compact ? "compact" : "comfortable"); } catch (e) { /* private mode */ }
    });
  }

  relativeTimes();
  density();
})();
